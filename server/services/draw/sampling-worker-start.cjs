require('tsx/cjs/api').register();
require('./sampling-worker.ts');
