// The files a run writes by default, from the registry of reporters (never a list kept by hand).
import { DEFAULT_FORMATS, outputFiles } from '../../src/report/write.js';

/** Every file a default run leaves in the output folder, sorted. */
export const DEFAULT_OUTPUTS: readonly string[] = outputFiles(DEFAULT_FORMATS).sort();
