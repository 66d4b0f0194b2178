import {html} from 'hono/html';
import type {CatalogClient} from '../catalog';
import {layout} from './layout';

/**
 * The user's pages of the Device Authorization Grant (RFC 8628 §3.3): enter the code shown on the device,
 * confirm that the device is in front of you (§5.4), and the outcome. Sign-in and consent are the pages of
 * the authorization code flow (login.ts, consent.ts). No page links anywhere: the walkthrough shows them in
 * a frame standing for the user's phone, and there is no redirect URI to go back to.
 */

/** The page that asks for the user code (§3.3), prefilled from `verification_uri_complete` (§3.3.1). */
export function enterCodePage(input: {action: string; userCode?: string; error?: string}) {
  return layout(
    'Connect a device',
    html`<h1>Connect a device</h1>
      <p>Enter the code your device shows you. The sandbox then asks you to sign in and what to allow.</p>
      ${input.error ? html`<p class="alert" role="alert">${input.error}</p>` : ''}
      <form method="post" action="${input.action}">
        <label for="user_code">Code shown on your device</label>
        <input
          type="text"
          id="user_code"
          name="user_code"
          autocomplete="one-time-code"
          autocapitalize="characters"
          spellcheck="false"
          maxlength="20"
          placeholder="BCDF-GHJK"
          required
          value="${input.userCode ?? ''}"
        />
        <p class="muted">Eight letters; capitals and the dash do not matter.</p>
        <div class="actions">
          <button type="submit">Continue</button>
        </div>
      </form>`,
  );
}

/**
 * §5.4 remote phishing: the code may have been started by someone else and sent to the user. This step
 * names the client and the code, and asks whether the user started this on a device in front of them.
 */
export function confirmDevicePage(input: {action: string; csrf: string; client: CatalogClient; userCode: string}) {
  return layout(
    'Confirm the device',
    html`<h1>Did you start this on a device in front of you?</h1>
      <p>
        <strong>${input.client.client_name}</strong> (<code>${input.client.client_id}</code>) is asking to connect to
        your account with the code <strong><code>${input.userCode}</code></strong
        >.
      </p>
      <p>
        Only continue if that device is in front of you and shows this code. If someone sent you this code or a link
        with it (by email, message or phone), say no: they would get access to your account.
      </p>
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <div class="actions">
          <button type="submit" name="decision" value="yes">Yes, I started it</button>
          <button type="submit" class="secondary" name="decision" value="no">No, I did not start it</button>
        </div>
      </form>`,
  );
}

/** The end of the user's part: the device gets its answer on its next poll, nothing is redirected. */
export function deviceDonePage(input: {client: CatalogClient; approved: boolean; reason?: string}) {
  const name = input.client.client_name;
  return layout(
    input.approved ? 'Device connected' : 'Nothing was shared',
    input.approved
      ? html`<h1>Your device is connected</h1>
          <p role="status"><strong>${name}</strong> now has the access you allowed. You can go back to your device.</p>`
      : html`<h1>Nothing was shared</h1>
          <p role="status">
            <strong>${name}</strong> gets no access to your account${input.reason ? html`: ${input.reason}` : ''}. You
            can close this page.
          </p>`,
  );
}
