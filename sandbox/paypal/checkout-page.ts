/**
 * The approval window served on the sandbox's origin: the sandbox buyer approves an order (optionally so
 * that its capture will be declined) or a vault setup token, or cancels. Opened by the JS SDK stand-in
 * (answers its opener/parent with postMessage) or by following an order's approve / payer-action link
 * (redirects to the experience_context return_url / cancel_url when given).
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface ApprovalPageInput {
  kind: 'order' | 'setup_token';
  id: string;
  /** Already-formatted amount lines, e.g. "10.00 USD". */
  amount?: string;
  merchant: string;
  buyerEmail: string;
  /** Shown instead of the choices (unknown id, order no longer approvable). */
  problem?: string;
  returnUrl?: string;
  cancelUrl?: string;
  /** Where postMessage answers go (the page that opened the window). */
  targetOrigin?: string;
  base: string;
}

const STYLE = `body{font:15px/1.4 Helvetica,Arial,sans-serif;margin:0;background:#f5f7fa;color:#111}
main{max-width:420px;margin:24px auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:22px;color:#003087;margin:0 0 4px}.sb{font-size:12px;color:#666;margin-bottom:16px}
.amount{font-size:28px;font-weight:bold;margin:12px 0}button{display:block;width:100%;margin:10px 0;padding:12px;border-radius:24px;border:0;font-size:16px;cursor:pointer}
#approve{background:#0070ba;color:#fff}#approve-decline{background:#fff;border:1px solid #c00;color:#c00}#cancel{background:#fff;border:1px solid #888}
.problem{color:#c00}`;

/** Shown while the merchant creates the order; it tells the JS SDK stand-in it has loaded (see whenLoaded there). */
export function loadingPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PayPal Sandbox</title><style>${STYLE}</style></head>
<body><main><h1>PayPal</h1><div class="sb">Offline sandbox</div><p id="loading">Loading…</p></main>
<script>try { (window.opener || window.parent).postMessage({ __paypalSandboxLoading: true }, '*'); } catch (e) {}</script></body></html>`;
}

export function approvalPage(p: ApprovalPageInput): string {
  const heading = p.kind === 'order' ? 'Pay with PayPal' : 'Save PayPal for future payments';
  const choices = p.problem
    ? `<p class="problem" id="problem">${esc(p.problem)}</p><button id="cancel" type="button">Return to merchant</button>`
    : p.kind === 'order'
      ? `<button id="approve" type="button">Approve payment</button>
<button id="approve-decline" type="button">Approve (capture will be declined)</button>
<button id="cancel" type="button">Cancel and return to ${esc(p.merchant)}</button>`
      : `<button id="approve" type="button">Agree and save</button>
<button id="cancel" type="button">Cancel and return to ${esc(p.merchant)}</button>`;
  const config = JSON.stringify({
    kind: p.kind,
    id: p.id,
    base: p.base,
    returnUrl: p.returnUrl ?? null,
    cancelUrl: p.cancelUrl ?? null,
    targetOrigin: p.targetOrigin ?? null,
  }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PayPal Sandbox Checkout</title><style>${STYLE}</style></head>
<body><main>
<h1>${heading}</h1><div class="sb">Offline PayPal sandbox · ${esc(p.merchant)}</div>
${p.amount ? `<div class="amount" id="amount">${esc(p.amount)}</div>` : ''}
<p>Signed in as <strong id="buyer">${esc(p.buyerEmail)}</strong></p>
${choices}
<p id="message" role="status"></p>
</main>
<script>
(function () {
  var C = ${config};
  var target = window.opener || (window.parent !== window ? window.parent : null);
  function answer(msg) {
    msg.__paypalSandbox = true;
    if (target && C.targetOrigin) { target.postMessage(msg, C.targetOrigin); return true; }
    return false;
  }
  function say(text) { document.getElementById('message').textContent = text; }
  function post(path, body) {
    return fetch(C.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error((j.details && j.details[0] && j.details[0].issue) || j.message || r.status); return j; }); });
  }
  function approve(decline) {
    var buttons = document.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    post('/_buyer/approve', { kind: C.kind, id: C.id, decline: decline }).then(function (res) {
      if (answer({ action: 'approve', orderID: res.orderID, payerID: res.payerID, vaultSetupToken: res.vaultSetupToken, facilitatorAccessToken: res.facilitatorAccessToken })) return;
      if (C.returnUrl) { window.location.href = C.returnUrl + (C.returnUrl.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(C.id) + (res.payerID ? '&PayerID=' + encodeURIComponent(res.payerID) : ''); return; }
      say('Approved. You can close this window.');
    }).catch(function (err) {
      say('Could not approve: ' + err.message);
      if (answer({ action: 'error', message: String(err.message) })) return;
    });
  }
  function cancel() {
    if (answer({ action: 'cancel' })) return;
    if (C.cancelUrl) { window.location.href = C.cancelUrl + (C.cancelUrl.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(C.id); return; }
    say('Cancelled. You can close this window.');
  }
  var a = document.getElementById('approve'); if (a) a.addEventListener('click', function () { approve(false); });
  var d = document.getElementById('approve-decline'); if (d) d.addEventListener('click', function () { approve(true); });
  document.getElementById('cancel').addEventListener('click', cancel);
})();
</script></body></html>`;
}
