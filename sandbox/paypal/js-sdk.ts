/**
 * The PayPal JS SDK stand-in served at /paypal/sdk/js (give it to @paypal/paypal-js or
 * @paypal/react-paypal-js as `sdkBaseUrl`). It defines `window.paypal` (or the `data-namespace` name) with
 * Buttons({ createOrder | createVaultSetupToken, onApprove, onCancel, onError, onClick, onInit, style,
 * fundingSource }) → { render, isEligible, close, updateProps }, FUNDING, version, isFundingEligible,
 * getFundingSources, Marks. Clicking the button opens the approval window (a popup on the sandbox origin,
 * or an in-page modal when popups are blocked), which answers with postMessage.
 */

export const SDK_VERSION = '5.0.480';

export interface SdkConfig {
  base: string;
  origin: string;
  clientId: string;
  currency: string;
  intent: string;
  vault: boolean;
  commit: boolean;
}

const FUNDING = {
  PAYPAL: 'paypal', VENMO: 'venmo', APPLEPAY: 'applepay', ITAU: 'itau', CREDIT: 'credit', PAYLATER: 'paylater',
  CARD: 'card', IDEAL: 'ideal', SEPA: 'sepa', BANCONTACT: 'bancontact', GIROPAY: 'giropay', SOFORT: 'sofort',
  EPS: 'eps', MYBANK: 'mybank', P24: 'p24', PAYU: 'payu', BLIK: 'blik', TRUSTLY: 'trustly', OXXO: 'oxxo',
  BOLETO: 'boleto', BOLETOBANCARIO: 'boletobancario', WECHATPAY: 'wechatpay', MERCADOPAGO: 'mercadopago',
  MULTIBANCO: 'multibanco', SATISPAY: 'satispay', PAIDY: 'paidy', ZIMPLER: 'zimpler', MAXIMA: 'maxima',
};

/** The sandbox buyer pays with their PayPal account only. */
const ELIGIBLE = ['paypal'];

const RUNTIME = String.raw`
(function () {
  'use strict';
  var script = document.currentScript;
  var namespace = (script && script.getAttribute('data-namespace')) || 'paypal';
  function toError(e) { return e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e)); }
  function unsupported(name) {
    return function () { return Promise.reject(new Error('The PayPal sandbox does not support actions.' + name + ' in the browser: call the Orders API from your server.')); };
  }
  // The window is sent to the approval page once its loading page has committed (it says so by
  // postMessage): a navigation started while the first one is still committing can be dropped.
  function whenLoaded(target, navigate) {
    var loaded = false;
    var pending = null;
    var fallback = null;
    function flush() {
      if (pending === null) return;
      var url = pending;
      pending = null;
      clearTimeout(fallback);
      navigate(url);
    }
    function onMessage(event) {
      if (event.origin !== CONFIG.origin || event.source !== target() || !event.data || event.data.__paypalSandboxLoading !== true) return;
      loaded = true;
      window.removeEventListener('message', onMessage);
      flush();
    }
    window.addEventListener('message', onMessage);
    return function go(url) {
      pending = url;
      if (loaded) flush();
      else fallback = setTimeout(flush, 3000);
    };
  }
  function openWindow(url) {
    var w = null;
    try { w = window.open(url, 'paypal_sandbox_' + Date.now(), 'width=480,height=680,left=100,top=60'); } catch (e) { w = null; }
    if (w) return { win: w, closed: function () { return w.closed; }, close: function () { try { w.close(); } catch (e) {} }, go: whenLoaded(function () { return w; }, function (u) { if (!w.closed) w.location.href = u; }) };
    var overlay = document.createElement('div');
    overlay.setAttribute('data-paypal-sandbox-overlay', '');
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.6);z-index:2147483647;display:flex;align-items:center;justify-content:center';
    var frame = document.createElement('iframe');
    frame.title = 'PayPal';
    frame.style.cssText = 'width:480px;height:680px;max-width:95vw;max-height:95vh;border:0;border-radius:8px;background:#fff';
    frame.src = url;
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    var gone = false;
    return {
      get win() { return frame.contentWindow; },
      closed: function () { return gone; },
      close: function () { gone = true; if (overlay.parentNode) overlay.parentNode.removeChild(overlay); },
      go: whenLoaded(function () { return frame.contentWindow; }, function (u) { frame.src = u; })
    };
  }
  function waitForBuyer(handle) {
    return new Promise(function (resolve) {
      var done = false;
      function finish(result) {
        if (done) return;
        done = true;
        window.removeEventListener('message', onMessage);
        clearInterval(timer);
        handle.close();
        resolve(result);
      }
      function onMessage(event) {
        if (event.origin !== CONFIG.origin) return;
        var data = event.data;
        if (!data || data.__paypalSandbox !== true) return;
        finish(data);
      }
      window.addEventListener('message', onMessage);
      var timer = setInterval(function () { if (handle.closed()) finish({ action: 'cancel' }); }, 250);
    });
  }
  function styleFor(style) {
    style = style || {};
    var colors = { gold: ['#ffc439', '#111'], blue: ['#0070ba', '#fff'], silver: ['#eee', '#111'], white: ['#fff', '#111'], black: ['#2c2e2f', '#fff'] };
    var c = colors[style.color] || colors.gold;
    var radius = style.shape === 'pill' ? '23px' : style.shape === 'sharp' ? '0' : (typeof style.borderRadius === 'number' ? style.borderRadius + 'px' : '4px');
    var height = typeof style.height === 'number' ? style.height : 45;
    return 'display:block;width:100%;min-width:150px;' + (style.disableMaxWidth ? '' : 'max-width:750px;') + 'height:' + height + 'px;border:' + (style.color === 'white' ? '1px solid #555' : '0') + ';border-radius:' + radius + ';background:' + c[0] + ';color:' + c[1] + ';font:bold 16px/1 Helvetica,Arial,sans-serif;cursor:pointer';
  }
  var LABELS = { paypal: 'PayPal', checkout: 'PayPal Checkout', buynow: 'PayPal Buy Now', pay: 'Pay with PayPal', installment: 'PayPal', subscribe: 'PayPal Subscribe', donate: 'PayPal Donate' };

  function Buttons(props) {
    props = props || {};
    var fundingSource = props.fundingSource || 'paypal';
    var wrapper = null;
    var enabled = true;
    var closed = false;
    var busy = false;
    function callError(err) {
      if (typeof props.onError === 'function') props.onError(toError(err));
      else console.error(err);
    }
    function flowKind() {
      if (typeof props.createVaultSetupToken === 'function') return 'vault';
      if (typeof props.createOrder === 'function') return 'order';
      if (typeof props.createSubscription === 'function' || typeof props.createBillingAgreement === 'function') return 'unsupported';
      return 'none';
    }
    function approvalUrl(kind, id) {
      var q = 'sdk=1&origin=' + encodeURIComponent(window.location.origin) + '&currency=' + encodeURIComponent(CONFIG.currency);
      return kind === 'vault'
        ? CONFIG.base + '/agreements/approve?approval_session_id=' + encodeURIComponent(id) + '&' + q
        : CONFIG.base + '/checkoutnow?token=' + encodeURIComponent(id) + '&' + q;
    }
    function approveActions(kind, id, handle) {
      return {
        order: { capture: unsupported('order.capture'), authorize: unsupported('order.authorize'), get: unsupported('order.get'), patch: unsupported('order.patch') },
        redirect: function (url) { window.location.href = url; },
        restart: function () { return start(kind, Promise.resolve(id), openWindow(CONFIG.base + '/checkoutnow?loading=1')); }
      };
    }
    function start(kind, idPromise, handle) {
      busy = true;
      return idPromise.then(function (id) {
        if (typeof id !== 'string' || id === '') throw new Error(kind === 'vault' ? 'Expected a vault setup token to be returned from createVaultSetupToken' : 'Expected an order id to be passed');
        handle.go(approvalUrl(kind, id));
        return waitForBuyer(handle).then(function (result) {
          busy = false;
          if (result.action === 'approve') {
            var data = kind === 'vault'
              ? { vaultSetupToken: id, paymentSource: fundingSource }
              : { orderID: id, payerID: result.payerID, paymentID: id, billingToken: null, facilitatorAccessToken: result.facilitatorAccessToken, paymentSource: fundingSource };
            if (typeof props.onApprove === 'function') {
              return Promise.resolve().then(function () { return props.onApprove(data, approveActions(kind, id, handle)); });
            }
            return undefined;
          }
          if (result.action === 'error') throw new Error(result.message || 'The approval failed');
          if (typeof props.onCancel === 'function') {
            props.onCancel(kind === 'vault' ? { vaultSetupToken: id } : { orderID: id }, { redirect: function (url) { window.location.href = url; } });
          }
          return undefined;
        });
      }).catch(function (err) {
        busy = false;
        handle.close();
        callError(err);
      });
    }
    function onButtonClick() {
      if (closed || busy) return;
      var clickData = { fundingSource: fundingSource };
      var rejected = false;
      var clickActions = { resolve: function () { return Promise.resolve(); }, reject: function () { rejected = true; return Promise.resolve(); } };
      if (!enabled) {
        if (typeof props.onClick === 'function') props.onClick(clickData, clickActions);
        return;
      }
      var kind = flowKind();
      if (kind === 'none') { callError(new Error('Expected createOrder or createVaultSetupToken to be passed to paypal.Buttons')); return; }
      if (kind === 'unsupported') { callError(new Error('The PayPal sandbox supports createOrder and createVaultSetupToken only')); return; }
      // Open the window inside the click so that popup blockers allow it.
      var handle = openWindow(CONFIG.base + '/checkoutnow?loading=1');
      Promise.resolve(typeof props.onClick === 'function' ? props.onClick(clickData, clickActions) : undefined).then(function (answer) {
        if (rejected || answer === false) { handle.close(); return undefined; }
        var idPromise = Promise.resolve().then(function () {
          if (kind === 'vault') return props.createVaultSetupToken();
          return props.createOrder({ paymentSource: fundingSource }, { order: { create: unsupported('order.create') } });
        });
        return start(kind, idPromise, handle);
      }, function (err) { handle.close(); callError(err); });
    }
    var instance = {
      isEligible: function () { return ELIGIBLE.indexOf(fundingSource) !== -1; },
      render: function (container) {
        var el = typeof container === 'string' ? document.querySelector(container) : container;
        if (!el || !el.appendChild) return Promise.reject(new Error('Document is ready and element ' + container + ' does not exist'));
        if (closed) return Promise.reject(new Error('Buttons have been closed'));
        if (!instance.isEligible()) return Promise.reject(new Error('Funding source ' + fundingSource + ' is not eligible'));
        wrapper = document.createElement('div');
        wrapper.className = 'paypal-buttons paypal-buttons-context-iframe';
        wrapper.setAttribute('data-paypal-sandbox', 'buttons');
        var button = document.createElement('button');
        button.type = 'button';
        button.setAttribute('data-funding-source', fundingSource);
        button.setAttribute('aria-label', 'PayPal');
        button.className = 'paypal-button';
        var style = props.style || {};
        button.style.cssText = styleFor(style);
        button.textContent = LABELS[style.label] || 'PayPal';
        button.addEventListener('click', onButtonClick);
        wrapper.appendChild(button);
        el.appendChild(wrapper);
        if (typeof props.onInit === 'function') {
          props.onInit({}, {
            enable: function () { enabled = true; button.removeAttribute('aria-disabled'); button.style.opacity = '1'; return Promise.resolve(); },
            disable: function () { enabled = false; button.setAttribute('aria-disabled', 'true'); button.style.opacity = '0.5'; return Promise.resolve(); }
          });
        }
        return Promise.resolve();
      },
      close: function () {
        closed = true;
        if (wrapper && wrapper.parentNode) wrapper.parentNode.removeChild(wrapper);
        wrapper = null;
        return Promise.resolve();
      },
      updateProps: function (next) { for (var k in next) if (Object.prototype.hasOwnProperty.call(next, k)) props[k] = next[k]; return Promise.resolve(); },
      hasReturned: function () { return false; },
      resume: function () {}
    };
    return instance;
  }

  function Marks(props) {
    var source = (props && props.fundingSource) || 'paypal';
    return {
      isEligible: function () { return ELIGIBLE.indexOf(source) !== -1; },
      render: function (container) {
        var el = typeof container === 'string' ? document.querySelector(container) : container;
        if (!el) return Promise.reject(new Error('Document is ready and element ' + container + ' does not exist'));
        var mark = document.createElement('span');
        mark.textContent = 'PayPal';
        mark.setAttribute('data-paypal-sandbox', 'mark');
        el.appendChild(mark);
        return Promise.resolve();
      }
    };
  }

  window[namespace] = {
    version: VERSION,
    FUNDING: FUNDING,
    Buttons: Buttons,
    Marks: Marks,
    isFundingEligible: function (source) { return ELIGIBLE.indexOf(source) !== -1; },
    getFundingSources: function () { return ELIGIBLE.slice(); },
    rememberFunding: function () {},
    getCorrelationID: function () { return 'sandbox-correlation-id'; }
  };
})();
`;

export function sdkScript(config: SdkConfig): string {
  return [
    '/* PayPal JS SDK stand-in (offline sandbox). */',
    `var CONFIG = ${JSON.stringify(config)};`,
    `var VERSION = ${JSON.stringify(SDK_VERSION)};`,
    `var FUNDING = ${JSON.stringify(FUNDING)};`,
    `var ELIGIBLE = ${JSON.stringify(ELIGIBLE)};`,
    RUNTIME,
  ]
    .join('\n')
    .replace(/^/, '(function(){\n')
    .concat('\n})();\n');
}
