#!/usr/bin/env bash
# The Authorization Code flow with PKCE using nothing but curl and openssl, against the Node sandbox
# (`npm run sandbox`). curl plays the browser (a cookie jar keeps the sign-in session) and the app.
#
#   bash scripts/curl-code-flow.sh        ISSUER, CLIENT_ID, USERNAME and PASSWORD override the defaults.
#
# The client is `native-app`, a public client whose loopback redirect URI matches on any port
# (RFC 8252 §7.3). Nothing needs to listen there: curl does not follow the last redirect, it reads
# the code from it.
set -euo pipefail

ISSUER=${ISSUER:-http://localhost:4000/sandbox}
CLIENT_ID=${CLIENT_ID:-native-app}
REDIRECT_URI=${REDIRECT_URI:-http://127.0.0.1:8765/callback}
USERNAME=${USERNAME:-alice}
PASSWORD=${PASSWORD:-wonderland-42}
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
browser() { curl --silent --show-error --cookie "$jar" --cookie-jar "$jar" "$@"; }
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# The value of the hidden form field NAME in an HTML page.
field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" | head -n 1; }
# The value of query parameter NAME in a URL.
param() { sed -n "s/.*[?&]$1=\([^&]*\).*/\1/p"; }

# 1. PKCE (RFC 7636 §4.1-4.2): a random verifier and its S256 challenge; a random state.
verifier=$(openssl rand 32 | base64url)
challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64url)
state=$(openssl rand 16 | base64url)

# 2. The authorization request (RFC 6749 §4.1.1). The sandbox redirects to its sign-in page.
login_page=$(browser --get --output /dev/null --write-out '%{redirect_url}' "$ISSUER/authorize" \
  --data-urlencode response_type=code --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "redirect_uri=$REDIRECT_URI" --data-urlencode 'scope=openid profile' \
  --data-urlencode "state=$state" --data-urlencode "code_challenge=$challenge" \
  --data-urlencode code_challenge_method=S256)
echo "Sign-in page:    $login_page"

# 3. Sign in: the form carries a value that ties it to this sign-in (against login CSRF).
csrf=$(browser "$login_page" | field csrf)
consent_page=$(browser --output /dev/null --write-out '%{redirect_url}' "$login_page" \
  --data-urlencode "csrf=$csrf" --data-urlencode "username=$USERNAME" \
  --data-urlencode "password=$PASSWORD" --data-urlencode action=login)
# A wrong password shows the form again instead of redirecting.
[ -n "$consent_page" ] || { echo "the sign-in was refused: wrong username or password" >&2; exit 1; }
echo "Consent page:    $consent_page"

# 4. Consent. The sandbox redirects to the redirect URI with code, state and iss (RFC 6749 §4.1.2, RFC 9207).
csrf=$(browser "$consent_page" | field csrf)
callback=$(browser --output /dev/null --write-out '%{redirect_url}' "$consent_page" \
  --data-urlencode "csrf=$csrf" --data-urlencode decision=allow)
echo "Redirected to:   $callback"
[ "$(printf '%s' "$callback" | param state)" = "$state" ] || { echo "state does not match: refusing the response" >&2; exit 1; }
code=$(printf '%s' "$callback" | param code)
[ -n "$code" ] || { echo "no code in the response" >&2; exit 1; }

# 5. The token request (RFC 6749 §4.1.3) with the verifier (RFC 7636 §4.5); a public client sends no secret.
echo "Token response:"
curl --silent --show-error --fail-with-body "$ISSUER/token" \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
  --data-urlencode "redirect_uri=$REDIRECT_URI" --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "code_verifier=$verifier"
echo
