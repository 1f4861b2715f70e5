require('tsx/cjs/api').register();
require('./rank-worker.ts');
