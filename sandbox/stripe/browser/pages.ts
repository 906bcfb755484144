/** Server-rendered pages on the sandbox origin: the 3-D Secure challenge, hosted Checkout, receipts. */
import type { StripeObject } from '../state';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Minor units to a display string, e.g. (5000, 'usd') → "$50.00". */
export function formatMoney(amount: number, currency: string): string {
  const digits = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}

const BASE_STYLE = `
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #30313d; margin: 0; background: #f6f8fa; }
  main { max-width: 460px; margin: 32px auto; background: #fff; padding: 24px; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  h1 { font-size: 20px; margin: 0 0 12px; } .muted { color: #6d6e78; font-size: 13px; }
  button { font: inherit; padding: 10px 16px; border-radius: 6px; border: 1px solid #635bff; background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #df1b41; border-color: #df1b41; }
  .error { color: #df1b41; min-height: 1.5em; } table { width: 100%; border-collapse: collapse; } td { padding: 4px 0; } td.r { text-align: right; }
  input[type=email] { width: 100%; padding: 10px 12px; border: 1px solid #e6e6e6; border-radius: 5px; font: inherit; box-sizing: border-box; }
`;

export function challengePage(intent: StripeObject, returnUrl: string | null): string {
  const amount = intent.object === 'payment_intent' ? formatMoney(intent.amount as number, intent.currency as string) : null;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>3D Secure 2 Test Page</title>
<meta name="referrer" content="no-referrer"><style>${BASE_STYLE} main{margin:0 auto;box-shadow:none}</style></head>
<body><main>
<h1>3D Secure 2 Test Page</h1>
<p class="muted">Stripe sandbox (test mode). ${amount ? `Authenticate a payment of <strong>${escapeHtml(amount)}</strong>.` : 'Authenticate this card for future payments.'}</p>
<p>Choose the outcome of the authentication:</p>
<p><button id="complete" type="button">Complete</button> <button id="fail" type="button" class="secondary">Fail</button></p>
<p class="error" id="error" role="alert"></p>
</main>
<script>
(function () {
  var intent = ${JSON.stringify(intent.id)};
  var params = new URLSearchParams(location.search);
  var clientSecret = params.get('client_secret');
  var returnUrl = ${JSON.stringify(returnUrl)};
  function finish(outcome) {
    document.getElementById('complete').disabled = true;
    document.getElementById('fail').disabled = true;
    fetch(location.pathname, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client_secret: clientSecret, outcome: outcome }) })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { document.getElementById('error').textContent = (r.body.error && r.body.error.message) || 'Failed'; }
        if (window.parent !== window) {
          window.parent.postMessage({ source: 'stripe-sandbox', type: '3ds-complete', intent: intent, outcome: outcome }, '*');
        } else if (returnUrl) {
          var url = new URL(returnUrl);
          var prefix = intent.indexOf('seti_') === 0 ? 'setup_intent' : 'payment_intent';
          url.searchParams.set(prefix, intent);
          url.searchParams.set(prefix + '_client_secret', clientSecret);
          var status = r.body.status;
          url.searchParams.set('redirect_status', status === 'succeeded' || status === 'processing' || status === 'requires_capture' ? 'succeeded' : 'failed');
          location.assign(url.toString());
        } else {
          document.getElementById('error').textContent = 'Authentication ' + (outcome === 'complete' ? 'completed' : 'failed') + '. You can close this window.';
        }
      });
  }
  document.getElementById('complete').addEventListener('click', function () { finish('complete'); });
  document.getElementById('fail').addEventListener('click', function () { finish('fail'); });
})();
</script></body></html>`;
}

export function checkoutPage(session: StripeObject, lineItems: StripeObject[], publishableKey: string): string {
  const open = session.status === 'open';
  const rows = lineItems
    .map((li) => `<tr><td>${escapeHtml(String(li.description))} × ${li.quantity}</td><td class="r">${escapeHtml(formatMoney(li.amount_total as number, li.currency as string))}</td></tr>`)
    .join('');
  const total = session.amount_total !== null ? formatMoney(session.amount_total as number, session.currency as string) : null;
  const title = session.mode === 'setup' ? 'Save a card for future payments' : `Pay ${total}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Checkout (Stripe sandbox)</title>
<style>${BASE_STYLE}</style><script src="/v3/"></script></head>
<body><main>
<p class="muted">Stripe sandbox checkout (test mode) · ${escapeHtml(session.id)}</p>
<h1>${escapeHtml(title)}</h1>
${rows ? `<table>${rows}<tr><td><strong>Total</strong></td><td class="r"><strong>${escapeHtml(total ?? '')}</strong></td></tr></table>` : ''}
${
  open
    ? `<form id="pay">
<p><label>Email<br><input type="email" id="email" value="${escapeHtml(String(session.customer_email ?? ''))}" autocomplete="email"></label></p>
<div id="payment-element"></div>
<p class="error" id="error" role="alert"></p>
<p><button type="submit" id="submit">${session.mode === 'setup' ? 'Save card' : `Pay ${escapeHtml(total ?? '')}`}</button>
${session.cancel_url ? ` <a href="${escapeHtml(String(session.cancel_url))}" id="cancel">Cancel</a>` : ''}</p>
</form>`
    : `<p id="closed">This Checkout Session is ${escapeHtml(String(session.status))}.</p>`
}
</main>
<script>
(function () {
  if (!document.getElementById('pay')) return;
  var sessionId = ${JSON.stringify(session.id)};
  var stripe = Stripe(${JSON.stringify(publishableKey)});
  var elements = stripe.elements();
  var element = elements.create('payment');
  element.mount('#payment-element');
  var errorBox = document.getElementById('error');
  var button = document.getElementById('submit');
  function post(path, body) {
    return fetch('/checkout/pay/' + sessionId + path, { method: body ? 'POST' : 'GET', headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
      .then(function (res) { return res.json(); });
  }
  function finish() {
    return post('/status').then(function (s) {
      if (s.status === 'complete') { location.assign(s.success_url); return; }
      errorBox.textContent = s.error || 'The payment did not complete. Try another card.';
      button.disabled = false;
    });
  }
  document.getElementById('pay').addEventListener('submit', function (e) {
    e.preventDefault();
    errorBox.textContent = '';
    button.disabled = true;
    var email = document.getElementById('email').value;
    stripe.createPaymentMethod({ elements: elements, params: { billing_details: { email: email || undefined } } }).then(function (r) {
      if (r.error) { errorBox.textContent = r.error.message; button.disabled = false; return; }
      return post('/confirm', { payment_method: r.paymentMethod.id, email: email }).then(function (c) {
        if (c.error) { errorBox.textContent = c.error.message; button.disabled = false; return; }
        if (c.status === 'requires_action') return stripe.handleNextAction({ clientSecret: c.client_secret }).then(finish);
        return finish();
      });
    });
  });
})();
</script></body></html>`;
}

export function receiptPage(charge: StripeObject): string {
  const card = (charge.payment_method_details as { card?: { brand: string; last4: string } }).card;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Receipt · Stripe sandbox</title><style>${BASE_STYLE}</style></head>
<body><main><h1>Receipt</h1><p class="muted">${escapeHtml(charge.id)} (test mode)</p>
<table><tr><td>Amount paid</td><td class="r">${escapeHtml(formatMoney(charge.amount_captured as number, charge.currency as string))}</td></tr>
<tr><td>Refunded</td><td class="r">${escapeHtml(formatMoney(charge.amount_refunded as number, charge.currency as string))}</td></tr>
${card ? `<tr><td>Payment method</td><td class="r">${escapeHtml(card.brand)} •••• ${escapeHtml(card.last4)}</td></tr>` : ''}
<tr><td>Date</td><td class="r">${new Date((charge.created as number) * 1000).toISOString().slice(0, 10)}</td></tr></table></main></body></html>`;
}
