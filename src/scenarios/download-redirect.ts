// `download-redirect`: every download of the job's files answers 307 Temporary Redirect to a
// signed URL of the file (signed-url.ts), which needs no token.
import { defineScenario } from './scenario.js';
import { signedFilePath } from './signed-url.js';

export const downloadRedirect = defineScenario({
  name: 'download-redirect',
  description: 'Every download of a file answers 307 Temporary Redirect to a signed URL of the file, which needs no token.',
  clientShould: 'Follow the redirect, without forwarding Authorization to the URL it leads to.',
  settings: [],
  hooks: {
    redirect: ({ file, now, apiBase }) => apiBase + signedFilePath(file.id, now),
  },
});
