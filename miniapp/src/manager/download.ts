// Saving a report: fetched with the token, then handed to the browser as a file.
import { fetchFile } from '../lib/api';

export async function saveReport(path: string): Promise<string> {
  const { blob, name } = await fetchFile(path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
