// The thread of tidy.ts.
import { workerData } from 'node:worker_threads';
import { tidyNow, type TidyTask } from './tidy.js';

tidyNow(workerData as TidyTask);
