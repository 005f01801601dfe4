// Step 1: the password grant at POST /oauth/token, prefilled with the configured demo user.
// With AUTH=off the step explains that no token is needed and stays out of the way.
import { problemText, type ApiClient } from './api-client.js';
import { CommandBlock } from './command-block.js';
import { curlCommand, tokenAssignment } from './curl.js';
import { byId, fill, h } from './element.js';
import { statusBadge } from './format.js';

export function setupSignIn(client: ApiClient, onTokenChange: () => void): void {
  const { auth } = client.config;
  const form = byId<HTMLFormElement>('token-form');
  const result = byId('token-result');
  if (!auth.enabled) {
    form.hidden = true;
    fill(
      byId('token-intro'),
      'Authentication is off on this server (',
      h('code', {}, 'AUTH=off'),
      '), so requests need no token and the commands below carry none.',
    );
    return;
  }
  fill(
    byId('token-intro'),
    h('code', {}, `POST ${client.config.tokenPath}`),
    ' with the password grant returns a bearer token for every request after it. The form holds this mock’s configured demo user (',
    h('code', {}, 'AUTH_USERNAME'),
    ' / ',
    h('code', {}, 'AUTH_PASSWORD'),
    '), not a Verto account.',
  );
  const username = byId<HTMLInputElement>('username');
  const password = byId<HTMLInputElement>('password');
  const button = byId<HTMLButtonElement>('sign-in');
  username.value = auth.username;
  password.value = auth.password;

  const request = new CommandBlock('Request a token');
  const keep = new CommandBlock('Keep the token for the next commands');
  byId('token-commands').append(request.element, keep.element);
  const showCommand = () =>
    request.set(
      curlCommand({
        method: 'POST',
        url: client.tokenUrl,
        headers: [['Content-Type', 'application/json']],
        body: client.tokenRequestBody(username.value, password.value),
      }),
    );
  showCommand();
  username.addEventListener('input', showCommand);
  password.addEventListener('input', showCommand);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn();
  });

  async function signIn(): Promise<void> {
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const exchange = await client.signIn(username.value, password.value);
      const body = exchange.body as { token_type?: string; expires_in?: number } | null;
      if (client.token) {
        const minutes = typeof body?.expires_in === 'number' ? Math.round(body.expires_in / 60) : null;
        fill(
          result,
          statusBadge(exchange.status),
          ` ${body?.token_type ?? 'Bearer'} token`,
          minutes !== null ? `, valid for ${minutes} min: ` : ': ',
          h('code', { class: 'token', id: 'access-token' }, client.token),
        );
        keep.set(tokenAssignment(client.token));
      } else {
        fill(result, statusBadge(exchange.status), ' ', h('span', { class: 'problem' }, problemText(exchange)));
        keep.set('');
      }
    } catch (err) {
      fill(result, h('span', { class: 'problem' }, `The server did not answer: ${(err as Error).message}`));
      client.token = null;
      keep.set('');
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
      onTokenChange();
    }
  }
}
