export { scanFrame } from './frame';
export { readFramePart, PARTS_FROM_BYTES, type FrameFile, type FramePart, type FramePartTask, type PartOutcome, type PartReader } from './frame-parts';
export { allocate, withVersion } from './allocate';
export { fold, removeAccents } from './text';
export { sampleLines, compareSamples, SAMPLING_CODE_VERSION, SAMPLING_CODE_VERSIONS, SAMPLING_METHOD, type DrawRequest } from './draw';
export { drawSample } from './draw-sample';
export { memoryScratch } from './scratch-space';
export { readDrawIndexHeader, DRAW_INDEX_FORMAT, type DrawIndexSink, type DrawIndexHeader } from './draw-index';
export { drawFromIndex, drawIndexServes, type BatchRanker, type ByteRange, type ReadRanges } from './draw-from-index';
export { rankMessages } from './sha256';
export type {
  UnitRef,
  FrameOptions,
  ReadProgress,
  ByteSource,
  ScratchSpace,
  FrameScan,
  ImportReport,
  Rejection,
  Allocation,
  DrawOptions,
  DrawResult,
  DrawnEntry,
  UnitDraw,
  SampleLine,
  Role,
} from './types';
