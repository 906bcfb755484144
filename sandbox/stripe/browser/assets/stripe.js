/*
 * Stripe.js stand-in served by the provider sandbox (GET /v3/ or /js/stripe.js). It defines window.Stripe
 * before @stripe/stripe-js loads, so loadStripe() and @stripe/react-stripe-js use it unchanged.
 * Card fields live in iframes on the sandbox's origin; this page only ever receives PaymentMethod ids.
 */
(function () {
  'use strict';
  if (window.Stripe && window.Stripe.__sandbox) return;
  var ORIGIN = '__SANDBOX_ORIGIN__';
  var VERSION = '__STRIPE_JS_VERSION__';
  var API_VERSION = '__API_VERSION__';
  var frameCounter = 0;

  function uid(prefix) {
    frameCounter += 1;
    return prefix + frameCounter + '_' + Math.random().toString(36).slice(2, 10);
  }

  function encodeForm(data) {
    var pairs = [];
    function walk(key, value) {
      if (value === undefined) return;
      if (value === null || typeof value !== 'object') {
        pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(value === null ? '' : String(value)));
      } else if (Array.isArray(value)) {
        value.forEach(function (v, i) { walk(key + '[' + i + ']', v); });
      } else {
        Object.keys(value).forEach(function (k) { walk(key + '[' + k + ']', value[k]); });
      }
    }
    Object.keys(data).forEach(function (k) { walk(k, data[k]); });
    return pairs.join('&');
  }

  function intentIdFromSecret(clientSecret) {
    var m = /^((?:pi|seti)_[A-Za-z0-9]+)_secret_/.exec(clientSecret || '');
    return m ? m[1] : null;
  }

  function integrationError(message) {
    var err = new Error(message);
    err.name = 'IntegrationError';
    return err;
  }

  function Api(key) {
    this.key = key;
  }
  Api.prototype.request = function (method, path, params) {
    var url = ORIGIN + path;
    var init = {
      method: method,
      headers: { Authorization: 'Bearer ' + this.key, 'Stripe-Version': API_VERSION },
    };
    if (method === 'GET') {
      var qs = encodeForm(params || {});
      if (qs) url += '?' + qs;
    } else {
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = encodeForm(params || {});
    }
    return fetch(url, init).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) return { error: body.error || { type: 'api_error', message: 'Request failed' } };
        return { data: body };
      });
    }, function (e) {
      return { error: { type: 'api_connection_error', message: 'Could not reach the Stripe sandbox: ' + e.message } };
    });
  };
  Api.prototype.intent = function (clientSecret) {
    var id = intentIdFromSecret(clientSecret);
    if (!id) return Promise.resolve({ error: { type: 'invalid_request_error', code: 'resource_missing', message: 'Invalid client secret.' } });
    var path = (id.indexOf('seti_') === 0 ? '/v1/setup_intents/' : '/v1/payment_intents/') + id;
    return this.request('GET', path, { client_secret: clientSecret });
  };

  /* ---------- Elements ---------- */

  function Element(elements, type, options) {
    this._elements = elements;
    this._type = type;
    this._options = options || {};
    this._handlers = {};
    this._frame = null;
    this._frameId = uid('__privateStripeFrame');
    this._state = { complete: false, empty: true, error: undefined, brand: 'unknown' };
    this._pending = {};
    this._destroyed = false;
    this._onMessage = this._onMessage.bind(this);
    window.addEventListener('message', this._onMessage);
  }
  Element.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    if (event === 'ready' && this._ready) handler({ elementType: this._type });
    return this;
  };
  Element.prototype.addEventListener = Element.prototype.on;
  Element.prototype.once = function (event, handler) {
    var self = this;
    function wrapped(e) { self.off(event, wrapped); handler(e); }
    return this.on(event, wrapped);
  };
  Element.prototype.off = function (event, handler) {
    if (!this._handlers[event]) return this;
    if (!handler) this._handlers[event] = [];
    else this._handlers[event] = this._handlers[event].filter(function (h) { return h !== handler; });
    return this;
  };
  Element.prototype.removeEventListener = Element.prototype.off;
  Element.prototype._emit = function (event, payload) {
    (this._handlers[event] || []).slice().forEach(function (h) { h(payload); });
  };
  Element.prototype._post = function (type, payload) {
    var self = this;
    return new Promise(function (resolve) {
      if (!self._frame || !self._frame.contentWindow) {
        resolve({ error: { type: 'validation_error', message: 'The element is not mounted.' } });
        return;
      }
      var requestId = uid('req');
      self._pending[requestId] = resolve;
      self._frame.contentWindow.postMessage({ source: 'stripe-sandbox-parent', type: type, requestId: requestId, payload: payload || {} }, ORIGIN);
    });
  };
  Element.prototype._onMessage = function (event) {
    if (event.origin !== ORIGIN || !this._frame || event.source !== this._frame.contentWindow) return;
    var msg = event.data || {};
    if (msg.source !== 'stripe-sandbox') return;
    if (msg.type === 'ready') {
      this._ready = true;
      this._emit('ready', { elementType: this._type });
    } else if (msg.type === 'change') {
      this._state = msg.payload;
      var change = { elementType: this._type, empty: msg.payload.empty, complete: msg.payload.complete, error: msg.payload.error };
      if (this._type === 'payment') {
        change.collapsed = false;
        change.value = { type: 'card' };
      } else {
        change.brand = msg.payload.brand;
        change.value = { postalCode: '' };
      }
      this._emit('change', change);
    } else if (msg.type === 'focus' || msg.type === 'blur' || msg.type === 'escape') {
      this._emit(msg.type, { elementType: this._type });
    } else if (msg.type === 'resize' && this._frame && msg.payload.height > 0) {
      // Never 0: a collapsed frame would hide the card form for good (its content always has a height).
      this._frame.style.height = msg.payload.height + 'px';
    } else if (msg.type === 'result' && this._pending[msg.requestId]) {
      var resolve = this._pending[msg.requestId];
      delete this._pending[msg.requestId];
      resolve(msg.payload);
    }
  };
  Element.prototype.mount = function (target) {
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node) throw integrationError('The selector you specified (' + target + ') applies to no DOM elements that are currently on the page.');
    if (this._frame) this.unmount();
    var url = new URL(ORIGIN + '/stripe-sandbox/elements/frame');
    url.searchParams.set('type', this._type);
    url.searchParams.set('frameId', this._frameId);
    url.searchParams.set('key', this._elements._stripe._key);
    url.searchParams.set('parentOrigin', window.location.origin);
    var frame = document.createElement('iframe');
    frame.name = this._frameId;
    frame.title = this._type === 'payment' ? 'Secure payment input frame' : 'Secure card payment input frame';
    frame.setAttribute('frameborder', '0');
    frame.setAttribute('allowtransparency', 'true');
    frame.setAttribute('scrolling', 'no');
    frame.style.cssText = 'border:none;width:100%;height:' + (this._type === 'payment' ? '150' : '44') + 'px;display:block;overflow:hidden;';
    frame.src = url.toString();
    this._frame = frame;
    this._container = node;
    node.appendChild(frame);
    this._elements._mounted(this);
  };
  Element.prototype.unmount = function () {
    if (this._frame && this._frame.parentNode) this._frame.parentNode.removeChild(this._frame);
    this._frame = null;
    this._ready = false;
  };
  Element.prototype.destroy = function () {
    this.unmount();
    this._destroyed = true;
    window.removeEventListener('message', this._onMessage);
    this._elements._destroyed(this);
  };
  Element.prototype.update = function (options) {
    this._options = Object.assign({}, this._options, options || {});
    if (this._frame) this._post('update', { options: this._options });
  };
  Element.prototype.focus = function () { this._post('focus'); };
  Element.prototype.blur = function () { this._post('blur'); };
  Element.prototype.clear = function () { this._post('clear'); };
  Element.prototype.collapse = function () {};
  /** Asks the frame to create the PaymentMethod; resolves { paymentMethod } or { error }. */
  Element.prototype._createPaymentMethod = function (billingDetails, metadata) {
    return this._post('createPaymentMethod', { billing_details: billingDetails || {}, metadata: metadata || {} });
  };
  Element.prototype._validate = function () {
    return this._post('validate');
  };

  function Elements(stripe, options) {
    this._stripe = stripe;
    this._options = options || {};
    this._elements = {};
    this._handlers = {};
    this._submitted = false;
  }
  /**
   * Elements the sandbox does not implement (address, linkAuthentication, expressCheckout, split card fields...)
   * mount as an empty placeholder that reports ready, so a page using them still renders and pays by card.
   */
  function PlaceholderElement(elements, type) {
    this._elements = elements;
    this._type = type;
    this._handlers = {};
    this._destroyed = false;
  }
  ['on', 'addEventListener', 'once', 'off', 'removeEventListener', '_emit'].forEach(function (name) {
    PlaceholderElement.prototype[name] = Element.prototype[name];
  });
  PlaceholderElement.prototype.mount = function (target) {
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node) throw integrationError('The selector you specified (' + target + ') applies to no DOM elements that are currently on the page.');
    this._node = document.createElement('div');
    this._node.setAttribute('data-stripe-sandbox-unsupported', this._type);
    node.appendChild(this._node);
    if (window.console) console.warn('[stripe sandbox] the "' + this._type + '" Element is not implemented; it renders nothing.');
    var self = this;
    this._ready = true;
    setTimeout(function () { self._emit('ready', { elementType: self._type }); }, 0);
  };
  PlaceholderElement.prototype.unmount = function () { if (this._node && this._node.parentNode) this._node.parentNode.removeChild(this._node); };
  PlaceholderElement.prototype.destroy = function () { this.unmount(); this._destroyed = true; this._elements._destroyed(this); };
  PlaceholderElement.prototype.update = function () {};
  PlaceholderElement.prototype.focus = function () {};
  PlaceholderElement.prototype.blur = function () {};
  PlaceholderElement.prototype.clear = function () {};
  PlaceholderElement.prototype.getValue = function () { return Promise.resolve({ complete: false, isNewAddress: false, value: {} }); };

  Elements.prototype.create = function (type, options) {
    if (type !== 'payment' && type !== 'card') {
      var placeholder = new PlaceholderElement(this, type);
      this._elements[type] = placeholder;
      return placeholder;
    }
    if (this._elements[type] && !this._elements[type]._destroyed)
      throw integrationError('Can only create one Element of type ' + type + '.');
    var element = new Element(this, type, options);
    this._elements[type] = element;
    return element;
  };
  Elements.prototype.getElement = function (type) {
    var el = this._elements[type];
    return el && !el._destroyed ? el : null;
  };
  Elements.prototype.update = function (options) {
    this._options = Object.assign({}, this._options, options || {});
  };
  Elements.prototype.fetchUpdates = function () { return Promise.resolve({}); };
  Elements.prototype.on = function (event, handler) { (this._handlers[event] = this._handlers[event] || []).push(handler); return this; };
  Elements.prototype.off = function () { return this; };
  Elements.prototype._mounted = function () {};
  Elements.prototype._destroyed = function (element) {
    if (this._elements[element._type] === element) delete this._elements[element._type];
  };
  Elements.prototype._cardElement = function () {
    return this.getElement('payment') || this.getElement('card');
  };
  /** Validates the fields (deferred intent flow: call before creating the intent on the server). */
  Elements.prototype.submit = function () {
    var self = this;
    var element = this._cardElement();
    if (!element) return Promise.resolve({ error: { type: 'validation_error', message: 'No Payment Element is mounted.' } });
    return element._validate().then(function (result) {
      if (result.error) return { error: result.error };
      self._submitted = true;
      return {};
    });
  };

  /* ---------- 3-D Secure challenge ---------- */

  function runChallenge(url) {
    return new Promise(function (resolve) {
      var overlay = document.createElement('div');
      overlay.setAttribute('data-stripe-sandbox', 'challenge');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,0.5);display:flex;align-items:center;justify-content:center;';
      var frame = document.createElement('iframe');
      frame.name = 'stripe-sandbox-challenge';
      frame.title = '3D Secure challenge';
      frame.src = url;
      frame.style.cssText = 'width:420px;height:420px;border:none;border-radius:8px;background:#fff;';
      overlay.appendChild(frame);
      document.body.appendChild(overlay);
      function onMessage(event) {
        if (event.origin !== ORIGIN || event.source !== frame.contentWindow) return;
        var msg = event.data || {};
        if (msg.source !== 'stripe-sandbox' || msg.type !== '3ds-complete') return;
        window.removeEventListener('message', onMessage);
        if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
        resolve(msg.outcome);
      }
      window.addEventListener('message', onMessage);
    });
  }

  function nextActionUrl(intent) {
    var action = intent.next_action || {};
    if (action.type === 'use_stripe_sdk' && action.use_stripe_sdk) return action.use_stripe_sdk.stripe_js;
    if (action.type === 'redirect_to_url' && action.redirect_to_url) return action.redirect_to_url.url;
    return null;
  }

  function intentKey(intent) { return intent.object === 'setup_intent' ? 'setupIntent' : 'paymentIntent'; }

  function failureFor(intent) {
    var err = intent.object === 'setup_intent' ? intent.last_setup_error : intent.last_payment_error;
    var out = Object.assign({}, err || { type: 'invalid_request_error', message: 'The payment failed.' });
    out[intent.object === 'setup_intent' ? 'setup_intent' : 'payment_intent'] = intent;
    return out;
  }

  /** Runs next_action (3-D Secure) if needed, then answers like Stripe.js: { paymentIntent } / { setupIntent } / { error }. */
  function settle(api, intent) {
    var done = function (i) {
      if (i.status === 'requires_payment_method' && (i.last_payment_error || i.last_setup_error)) return { error: failureFor(i) };
      var result = {};
      result[intentKey(i)] = i;
      return result;
    };
    if (intent.status !== 'requires_action') return Promise.resolve(done(intent));
    var url = nextActionUrl(intent);
    if (!url) return Promise.resolve(done(intent));
    return runChallenge(url).then(function () {
      return api.intent(intent.client_secret).then(function (r) { return r.error ? { error: r.error } : done(r.data); });
    });
  }

  function redirectTo(returnUrl, intent) {
    var url = new URL(returnUrl, window.location.href);
    var prefix = intent.object === 'setup_intent' ? 'setup_intent' : 'payment_intent';
    url.searchParams.set(prefix, intent.id);
    url.searchParams.set(prefix + '_client_secret', intent.client_secret);
    url.searchParams.set('redirect_status', intent.status === 'succeeded' || intent.status === 'processing' || intent.status === 'requires_capture' ? 'succeeded' : 'failed');
    window.location.assign(url.toString());
  }

  /* ---------- Stripe ---------- */

  function StripeSandbox(key, options) {
    if (!(this instanceof StripeSandbox)) return new StripeSandbox(key, options);
    if (typeof key !== 'string' || key.indexOf('pk_') !== 0)
      throw integrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_...). You specified: ' + key + '.');
    this._key = key;
    this._options = options || {};
    this._api = new Api(key);
  }
  StripeSandbox.prototype._registerWrapper = function () {};
  StripeSandbox.prototype.registerAppInfo = function () {};
  StripeSandbox.prototype.elements = function (options) { return new Elements(this, options); };

  StripeSandbox.prototype._paymentMethodFrom = function (value, billing) {
    if (!value) return Promise.resolve({ id: null });
    if (typeof value === 'string') return Promise.resolve({ id: value });
    if (value.card && value.card._createPaymentMethod)
      return value.card._createPaymentMethod(value.billing_details || billing, value.metadata).then(function (r) {
        return r.error ? { error: r.error } : { id: r.paymentMethod.id };
      });
    return Promise.resolve({ error: { type: 'invalid_request_error', message: 'Unsupported payment_method value.' } });
  };

  StripeSandbox.prototype.createPaymentMethod = function (data) {
    data = data || {};
    var element = data.elements ? data.elements._cardElement() : data.card || (data.element);
    if (!element || !element._createPaymentMethod)
      return Promise.resolve({ error: { type: 'invalid_request_error', message: 'createPaymentMethod needs a mounted card or payment element.' } });
    var params = data.params || data;
    return element._createPaymentMethod(params.billing_details, params.metadata);
  };

  StripeSandbox.prototype.createToken = function () {
    return Promise.resolve({ error: { type: 'invalid_request_error', message: 'Tokens are not supported by the sandbox; use PaymentMethods.' } });
  };
  StripeSandbox.prototype.createSource = StripeSandbox.prototype.createToken;

  StripeSandbox.prototype._confirm = function (kind, clientSecret, pmValue, extra, handleActions) {
    var api = this._api;
    var id = intentIdFromSecret(clientSecret);
    if (!id) return Promise.reject(integrationError('Invalid value for ' + kind + ': clientSecret should be a client secret of the form ${id}_secret_${secret}.'));
    var path = (kind === 'setup' ? '/v1/setup_intents/' : '/v1/payment_intents/') + id + '/confirm';
    return this._paymentMethodFrom(pmValue).then(function (pm) {
      if (pm.error) return { error: pm.error };
      var params = Object.assign({ client_secret: clientSecret, use_stripe_sdk: 'true' }, extra || {});
      if (pm.id) params.payment_method = pm.id;
      return api.request('POST', path, params).then(function (r) {
        if (r.error) return { error: r.error };
        if (handleActions === false) {
          var out = {};
          out[intentKey(r.data)] = r.data;
          return out;
        }
        return settle(api, r.data);
      });
    });
  };

  StripeSandbox.prototype._confirmWithElements = function (kind, options) {
    options = options || {};
    var self = this;
    var elements = options.elements;
    var confirmParams = options.confirmParams || {};
    var clientSecret = options.clientSecret || (elements && elements._options.clientSecret);
    var redirect = options.redirect || 'always';
    var name = kind === 'setup' ? 'confirmSetup' : 'confirmPayment';
    if (!clientSecret) return Promise.reject(integrationError('stripe.' + name + '(): the `clientSecret` argument is required (or create elements with a clientSecret).'));
    if (redirect !== 'if_required' && !confirmParams.return_url)
      return Promise.reject(integrationError('stripe.' + name + '(): the `confirmParams.return_url` argument is required unless passing `redirect: \'if_required\'`'));
    // As Stripe.js: with a deferred intent (elements created without a clientSecret), elements.submit()
    // must have validated the form before confirming, or the integration would break against real Stripe.
    if (elements && !elements._options.clientSecret && !elements._submitted && !confirmParams.payment_method)
      return Promise.reject(integrationError('elements.submit() must be called before stripe.' + name + '(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work.'));
    var element = elements ? elements._cardElement() : null;
    var extra = {};
    if (confirmParams.return_url) extra.return_url = confirmParams.return_url;
    if (kind === 'payment' && confirmParams.receipt_email) extra.receipt_email = confirmParams.receipt_email;
    if (kind === 'payment' && confirmParams.setup_future_usage) extra.setup_future_usage = confirmParams.setup_future_usage;
    var pmValue = confirmParams.payment_method;
    var billing = confirmParams.payment_method_data && confirmParams.payment_method_data.billing_details;
    var start = pmValue
      ? Promise.resolve({})
      : element
        ? element._validate().then(function (v) { return v.error ? { error: v.error } : {}; })
        : Promise.resolve({ error: { type: 'invalid_request_error', message: 'No Payment Element is mounted.' } });
    return start.then(function (v) {
      if (v.error) return { error: v.error };
      var value = pmValue || { card: element, billing_details: billing };
      return self._confirm(kind, clientSecret, value, extra, true).then(function (result) {
        var intent = result.paymentIntent || result.setupIntent;
        if (intent && redirect !== 'if_required' && confirmParams.return_url) {
          redirectTo(confirmParams.return_url, intent);
          return new Promise(function () {});
        }
        return result;
      });
    });
  };

  StripeSandbox.prototype.confirmPayment = function (options) { return this._confirmWithElements('payment', options); };
  StripeSandbox.prototype.confirmSetup = function (options) { return this._confirmWithElements('setup', options); };
  StripeSandbox.prototype.confirmCardPayment = function (clientSecret, data, options) {
    data = data || {};
    return this._confirm('payment', clientSecret, data.payment_method, pick(data, ['return_url', 'setup_future_usage', 'receipt_email']), !(options && options.handleActions === false));
  };
  StripeSandbox.prototype.confirmCardSetup = function (clientSecret, data, options) {
    data = data || {};
    return this._confirm('setup', clientSecret, data.payment_method, pick(data, ['return_url']), !(options && options.handleActions === false));
  };
  StripeSandbox.prototype.handleNextAction = function (options) {
    var api = this._api;
    return api.intent(options && options.clientSecret).then(function (r) { return r.error ? { error: r.error } : settle(api, r.data); });
  };
  StripeSandbox.prototype.handleCardAction = function (clientSecret) { return this.handleNextAction({ clientSecret: clientSecret }); };
  StripeSandbox.prototype.handleCardSetup = StripeSandbox.prototype.confirmCardSetup;
  StripeSandbox.prototype.retrievePaymentIntent = function (clientSecret) {
    return this._api.intent(clientSecret).then(function (r) { return r.error ? { error: r.error } : { paymentIntent: r.data }; });
  };
  StripeSandbox.prototype.retrieveSetupIntent = function (clientSecret) {
    return this._api.intent(clientSecret).then(function (r) { return r.error ? { error: r.error } : { setupIntent: r.data }; });
  };
  StripeSandbox.prototype.redirectToCheckout = function (options) {
    if (!options || !options.sessionId) return Promise.resolve({ error: { type: 'invalid_request_error', message: 'sessionId is required.' } });
    window.location.assign(ORIGIN + '/checkout/pay/' + encodeURIComponent(options.sessionId));
    return new Promise(function () {});
  };

  function pick(obj, keys) {
    var out = {};
    keys.forEach(function (k) { if (obj[k] !== undefined) out[k] = obj[k]; });
    return out;
  }

  StripeSandbox.version = VERSION;
  StripeSandbox.__sandbox = true;
  StripeSandbox.sandboxOrigin = ORIGIN;
  window.Stripe = StripeSandbox;
})();
