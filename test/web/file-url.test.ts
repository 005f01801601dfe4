import { describe, expect, it } from 'vitest';
import { fileDownloadUrl } from '../../web/src/file-url.js';

describe('fileDownloadUrl', () => {
  it('appends a Verto-style url to origin and base path, keeping the base', () => {
    expect(fileDownloadUrl('/file/8de143f3-566c-4b70-98e5-3b625817a0cd/download', 'http://127.0.0.1:3000', '/api/v1/connect')).toBe(
      'http://127.0.0.1:3000/api/v1/connect/file/8de143f3-566c-4b70-98e5-3b625817a0cd/download',
    );
    // What new URL() would have done, and why the page does not use it.
    expect(new URL('/file/x/download', 'http://127.0.0.1:3000/api/v1/connect/').href).toBe('http://127.0.0.1:3000/file/x/download');
  });

  it('adds the slash a url without one lacks, and keeps absolute urls as they are', () => {
    expect(fileDownloadUrl('file/x/download', 'http://h', '/base')).toBe('http://h/base/file/x/download');
    expect(fileDownloadUrl('https://other.example/base/file/x/download', 'http://h', '/base')).toBe(
      'https://other.example/base/file/x/download',
    );
  });
});
