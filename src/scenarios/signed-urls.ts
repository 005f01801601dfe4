// `signed-urls`: the manifest says requiresAccessToken: false, and each url is a signed,
// expiring URL that needs no token (signed-url.ts), as storage services hand out.
import { defineScenario } from './scenario.js';
import { fileIdOfUrl, SIGNED_URL_LIFETIME_SECONDS, signedFilePath } from './signed-url.js';

export const signedUrls = defineScenario({
  name: 'signed-urls',
  description: `The manifest says requiresAccessToken: false; each url is a signed URL, working for ${SIGNED_URL_LIFETIME_SECONDS} s, that needs no token.`,
  clientShould: 'Download each file from its url as given, without sending Authorization (the URL is the capability).',
  settings: [],
  hooks: {
    manifest(manifest, { now, urlBase }) {
      const signed = (url: string) => {
        const id = fileIdOfUrl(url);
        return id === undefined ? url : urlBase + signedFilePath(id, now);
      };
      return {
        ...manifest,
        requiresAccessToken: false,
        output: manifest.output.map((e) => ({ ...e, url: signed(e.url) })),
        error: manifest.error.map((e) => ({ ...e, url: signed(e.url) })),
      };
    },
  },
});
