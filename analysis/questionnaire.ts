/**
 * A questionnaire version is data (SIPAS.md section 6): the platform never hard-codes item
 * codes outside the default template below, so a province can edit wording or add items per
 * wave without a code change.
 */

export interface ScaleOption {
  value: number;
  label: string;
}

export interface Criterion {
  code: string;
  label: string;
}

export interface Element {
  code: string;
  label: string;
  criteria: Criterion[];
}

export interface ProfileOption {
  code: string;
  label: string;
}

/** Choice items on the form that are tabulated but do not count in the index. */
export interface ProfileItem {
  code: string;
  label: string;
  kind: 'single' | 'multi';
  options: ProfileOption[];
  /** For `multi`: the most options a respondent may tick. */
  maxChoices?: number;
}

/**
 * The free-text comment at the end of the form. It is stored apart from the choice items and
 * never tabulated (it may name people).
 */
export interface CommentItem {
  /** The form field's name and the code problems with it are reported under. */
  code: string;
  label: string;
  /** Longest comment accepted, in characters after NFC normalisation and trimming. */
  maxLength: number;
}

export interface Questionnaire {
  version: string;
  title: string;
  scale: ScaleOption[];
  /** Label of the "no answer" choice; stored as a blank, never as 0 or 3. */
  noOpinionLabel: string;
  elements: Element[];
  profile: ProfileItem[];
  comment: CommentItem;
}

/** The default template's comment; also what a stored questionnaire without one is read with. */
export const defaultComment: CommentItem = { code: 'comment', label: 'Ý kiến khác', maxLength: 2000 };

export const SATISFIED_VALUES = [4, 5] as const;

export const defaultQuestionnaire: Questionnaire = {
  version: 'bnv-2023',
  title: 'Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước',
  scale: [
    { value: 1, label: 'Rất không hài lòng' },
    { value: 2, label: 'Không hài lòng' },
    { value: 3, label: 'Bình thường' },
    { value: 4, label: 'Hài lòng' },
    { value: 5, label: 'Rất hài lòng' },
  ],
  noOpinionLabel: 'Không ý kiến',
  elements: [
    {
      code: 'A',
      label: 'Tiếp cận dịch vụ',
      criteria: [
        { code: 'A1', label: 'Nơi tiếp nhận hồ sơ và trả kết quả thuận tiện, dễ tìm' },
        { code: 'A2', label: 'Trang thiết bị phục vụ (chỗ ngồi, máy tra cứu, …) đầy đủ, dễ sử dụng' },
        { code: 'A3', label: 'Thông tin về dịch vụ công, dịch vụ công trực tuyến dễ tiếp cận, dễ sử dụng' },
      ],
    },
    {
      code: 'B',
      label: 'Thủ tục hành chính',
      criteria: [
        { code: 'B1', label: 'Thủ tục hành chính được công khai đầy đủ, chính xác' },
        { code: 'B2', label: 'Thành phần hồ sơ phải nộp đúng quy định' },
        { code: 'B3', label: 'Phí, lệ phí phải nộp đúng quy định' },
        { code: 'B4', label: 'Thời hạn giải quyết đúng quy định' },
      ],
    },
    {
      code: 'C',
      label: 'Công chức',
      criteria: [
        { code: 'C1', label: 'Công chức giao tiếp lịch sự, tôn trọng' },
        { code: 'C2', label: 'Công chức hướng dẫn, giải thích tận tình, dễ hiểu' },
        { code: 'C3', label: 'Công chức tuân thủ quy định, không gây phiền hà, nhũng nhiễu' },
      ],
    },
    {
      code: 'D',
      label: 'Kết quả giải quyết',
      criteria: [
        { code: 'D1', label: 'Kết quả đúng quy định' },
        { code: 'D2', label: 'Kết quả có thông tin đầy đủ, chính xác' },
        { code: 'D3', label: 'Nhận kết quả đúng hạn' },
      ],
    },
    {
      code: 'E',
      label: 'Góp ý, phản ánh, kiến nghị',
      criteria: [
        { code: 'E1', label: 'Cơ quan bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị' },
        { code: 'E2', label: 'Dễ dàng thực hiện góp ý, phản ánh, kiến nghị' },
        { code: 'E3', label: 'Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý, trả lời kịp thời' },
      ],
    },
  ],
  profile: [
    {
      code: 'procedure_channel',
      label: 'Hình thức thực hiện thủ tục',
      kind: 'single',
      options: [
        { code: 'truc_tiep', label: 'Trực tiếp' },
        { code: 'buu_chinh', label: 'Bưu chính công ích' },
        { code: 'mot_phan', label: 'Trực tuyến một phần' },
        { code: 'toan_trinh', label: 'Trực tuyến toàn trình' },
      ],
    },
    {
      code: 'gender',
      label: 'Giới tính',
      kind: 'single',
      options: [
        { code: 'nam', label: 'Nam' },
        { code: 'nu', label: 'Nữ' },
      ],
    },
    {
      code: 'age_band',
      label: 'Độ tuổi',
      kind: 'single',
      options: [
        { code: '18-24', label: '18–24' },
        { code: '25-34', label: '25–34' },
        { code: '35-49', label: '35–49' },
        { code: '50-60', label: '50–60' },
        { code: '60+', label: 'Trên 60' },
      ],
    },
    {
      code: 'education',
      label: 'Trình độ học vấn',
      kind: 'single',
      options: [
        { code: 'tieu_hoc', label: 'Tiểu học' },
        { code: 'thcs', label: 'Trung học cơ sở' },
        { code: 'thpt', label: 'Trung học phổ thông' },
        { code: 'cao_dang', label: 'Trung cấp, cao đẳng' },
        { code: 'dai_hoc', label: 'Đại học' },
        { code: 'sau_dai_hoc', label: 'Sau đại học' },
      ],
    },
    {
      code: 'occupation',
      label: 'Nghề nghiệp',
      kind: 'single',
      options: [
        { code: 'cong_chuc', label: 'Cán bộ, công chức, viên chức' },
        { code: 'doanh_nghiep', label: 'Làm việc trong doanh nghiệp' },
        { code: 'kinh_doanh', label: 'Kinh doanh, buôn bán' },
        { code: 'nong_dan', label: 'Nông dân' },
        { code: 'huu_tri', label: 'Hưu trí' },
        { code: 'khac', label: 'Khác' },
      ],
    },
    {
      code: 'ethnicity',
      label: 'Dân tộc',
      kind: 'single',
      options: [
        { code: 'kinh', label: 'Kinh' },
        { code: 'khac', label: 'Khác' },
      ],
    },
    {
      code: 'priorities',
      label: 'Những nội dung cần ưu tiên cải thiện (chọn tối đa 3)',
      kind: 'multi',
      maxChoices: 3,
      options: [
        { code: 'mo_rong_truc_tuyen', label: 'Mở rộng dịch vụ công trực tuyến' },
        { code: 'don_gian_thu_tuc', label: 'Đơn giản hóa thủ tục hành chính' },
        { code: 'cong_khai', label: 'Công khai, minh bạch thông tin' },
        { code: 'thai_do', label: 'Cải thiện thái độ phục vụ của công chức' },
        { code: 'rut_ngan_thoi_gian', label: 'Rút ngắn thời gian giải quyết' },
        { code: 'giam_phi', label: 'Giảm phí, lệ phí' },
        { code: 'co_so_vat_chat', label: 'Nâng cấp cơ sở vật chất nơi tiếp nhận' },
        { code: 'phan_hoi', label: 'Tiếp nhận, xử lý góp ý kịp thời hơn' },
      ],
    },
  ],
  comment: defaultComment,
};

/** Every criterion code of a questionnaire, in form order. */
const criterionCodesByQuestionnaire = new WeakMap<Questionnaire, readonly string[]>();

/**
 * The criterion codes in form order, worked out once per questionnaire object: a batch of QR
 * submissions shares one (loaded questionnaires are frozen) and asks several times per submission.
 */
export function criterionCodes(q: Questionnaire): readonly string[] {
  let codes = criterionCodesByQuestionnaire.get(q);
  if (!codes) criterionCodesByQuestionnaire.set(q, (codes = Object.freeze(q.elements.flatMap((e) => e.criteria.map((c) => c.code)))));
  return codes;
}

/**
 * Checks a questionnaire version loaded from data. Returns every problem found (an empty
 * list means valid) so that an administrator fixing a file sees all of them at once.
 */
export function validateQuestionnaire(q: Questionnaire): string[] {
  const problems: string[] = [];
  if (!q.version?.trim()) problems.push('thiếu mã phiên bản (version)');
  if (!Array.isArray(q.elements) || q.elements.length === 0) {
    problems.push('phiếu không có yếu tố nào');
    return problems;
  }
  const seen = new Map<string, string>();
  const claim = (code: string, where: string) => {
    const previous = seen.get(code);
    if (previous) problems.push(`mã "${code}" bị trùng (${previous} và ${where})`);
    else seen.set(code, where);
  };
  for (const element of q.elements) {
    if (!element.code?.trim()) problems.push('một yếu tố không có mã');
    claim(element.code, `yếu tố ${element.code}`);
    if (!element.criteria?.length) problems.push(`yếu tố ${element.code} không có tiêu chí nào`);
    for (const criterion of element.criteria ?? []) {
      if (!criterion.code?.trim()) problems.push(`một tiêu chí của yếu tố ${element.code} không có mã`);
      if (!criterion.label?.trim()) problems.push(`tiêu chí ${criterion.code} không có nội dung`);
      claim(criterion.code, `tiêu chí của yếu tố ${element.code}`);
    }
  }
  for (const item of q.profile ?? []) {
    claim(item.code, 'câu hỏi thông tin chung');
    if (item.options.length === 0) problems.push(`câu hỏi ${item.code} không có lựa chọn`);
  }
  if (!q.comment?.code?.trim()) problems.push('ô ý kiến khác không có mã');
  else claim(q.comment.code, 'ô ý kiến khác');
  if (!(Number.isInteger(q.comment?.maxLength) && q.comment.maxLength > 0)) problems.push('ô ý kiến khác cần độ dài tối đa là một số nguyên dương');
  const values = q.scale?.map((s) => s.value) ?? [];
  const expected = [1, 2, 3, 4, 5];
  if (values.length !== expected.length || values.some((v, i) => v !== expected[i])) {
    problems.push('thang đo phải gồm đúng các mức 1–5');
  }
  return problems;
}
