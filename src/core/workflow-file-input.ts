// A file / file-list input of a run on a file: checked against the variable's own rules before any byte is sent,
// uploaded through /files/upload, and mapped into `inputs` as Dify's strict workflow check wants it (CONTRACT §3.9).
import type { AppClient, AppParameters, InputFile } from '../dify/index.js';
import type { InputField } from '../protocol.js';
import { checkFile, fileInputRules, fileTypeOf, sizeLimits, type FileProblem } from './file-rules.js';

/** The file on disk the run is on. */
export interface LocalFile {
  path: string;
  name: string;
  size: number;
}

export type FileInputResult = { value: InputFile | InputFile[] } | { problem: FileProblem };

/** The check first (nothing is uploaded on a problem), then the upload and the mapping with the detected type. */
export async function uploadFileInput(
  client: Pick<AppClient, 'uploadFile'>,
  field: InputField,
  file: LocalFile,
  system: Partial<AppParameters['system_parameters']> | undefined,
): Promise<FileInputResult> {
  const problem = checkFile(fileInputRules(field, sizeLimits(system)), { name: file.name, size: file.size }, 0);
  if (problem) return { problem };
  const uploaded = await client.uploadFile({ path: file.path, filename: file.name });
  const mapped: InputFile = { type: fileTypeOf(file.name), transfer_method: 'local_file', upload_file_id: uploaded.id };
  return { value: field.type === 'file-list' ? [mapped] : mapped };
}
