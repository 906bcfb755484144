/**
 * /paypal/_harness — a merchant page for the sandbox's own browser tests. It loads @paypal/paypal-js's
 * `loadScript` (served from node_modules) with `sdkBaseUrl` pointing at the stand-in, renders
 * paypal.Buttons, creates and captures orders through /paypal/_harness/* (playing the merchant server),
 * and reports each step in #status / #log. Query: currency, value, flow=order|vault|vault-purchase.
 */
export function harnessPage(base: string, clientId: string, params: URLSearchParams): string {
  const config = JSON.stringify({
    base,
    clientId,
    currency: params.get('currency') ?? 'USD',
    value: params.get('value') ?? '10.00',
    flow: params.get('flow') ?? 'order',
  }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PayPal sandbox harness</title></head>
<body>
<h1>PayPal sandbox harness</h1>
<div id="paypal-button-container" style="max-width:320px"></div>
<p>Status: <span id="status">loading</span></p>
<pre id="log"></pre>
<script src="${base}/_harness/paypal-js.js"></script>
<script>
(function () {
  var C = ${config};
  function setStatus(s) { document.getElementById('status').textContent = s; }
  function log(label, value) { document.getElementById('log').textContent += label + ' ' + JSON.stringify(value) + '\\n'; }
  function post(path, body) {
    return fetch(C.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); });
  }
  window.paypalLoadScript({ clientId: C.clientId, currency: C.currency, intent: 'capture', sdkBaseUrl: C.base + '/sdk/js', vault: C.flow !== 'order' })
    .then(function (paypal) {
      log('sdk', { version: paypal.version, funding: paypal.FUNDING.PAYPAL });
      var props = {
        style: { color: 'gold', shape: 'rect', label: 'paypal' },
        onApprove: function (data) {
          log('approved', data);
          if (C.flow === 'vault') {
            setStatus('approved');
            return post('/_harness/payment-tokens', { setup_token: data.vaultSetupToken }).then(function (res) {
              log('payment-token', res.body);
              setStatus(res.status === 201 ? 'vaulted ' + res.body.id : 'failed ' + res.status);
            });
          }
          setStatus('approved');
          return post('/_harness/orders/' + data.orderID + '/capture').then(function (res) {
            log('capture', res.body);
            if (res.status !== 201) { setStatus('capture failed ' + (res.body.details ? res.body.details[0].issue : res.status)); return; }
            var capture = res.body.purchase_units[0].payments.captures[0];
            setStatus('captured ' + capture.status);
          });
        },
        onCancel: function (data) { log('cancelled', data); setStatus('cancelled'); },
        onError: function (err) { log('error', String(err && err.message)); setStatus('error ' + (err && err.message)); }
      };
      if (C.flow === 'vault') {
        props.createVaultSetupToken = function () {
          return post('/_harness/setup-tokens').then(function (res) { log('setup-token', res.body.id); return res.body.id; });
        };
      } else {
        props.createOrder = function (data) {
          log('createOrder', data);
          return post('/_harness/orders', { currency: C.currency, value: C.value, vault: C.flow === 'vault-purchase' })
            .then(function (res) { log('order', res.body.id); return res.body.id; });
        };
      }
      var buttons = paypal.Buttons(props);
      if (!buttons.isEligible()) { setStatus('not eligible'); return; }
      return buttons.render('#paypal-button-container').then(function () { setStatus('ready'); });
    })
    .catch(function (err) { setStatus('load failed ' + err.message); });
})();
</script>
</body></html>`;
}
