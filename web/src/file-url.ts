// Where a manifest entry's file is downloaded from. In the Verto profile `url` is a path
// relative to {origin}{BASE_PATH}, as Verto's docs show ("/file/<uuid>/download"). Because it
// starts with "/", standard URL resolution (new URL(url, base)) would drop the base path and
// miss the file, so it is appended to the base instead. The standard profile gives absolute URLs.
export function fileDownloadUrl(url: string, origin: string, basePath: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  return `${origin}${basePath}${url.startsWith('/') ? '' : '/'}${url}`;
}
