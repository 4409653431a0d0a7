// Passkeys (WebAuthn) on our pages: the browser side of the ceremonies (docs/second-factors.md).
// A button with data-passkey="register" or data-passkey="assert" sits in a form that also
// carries the session's csrf field. Clicked, it asks the server for options (POST to
// data-options, which keeps a single-use challenge), lets the browser make the credential
// or the assertion, puts its JSON into the form's hidden field named by data-field, and
// sends the form. The server checks everything; this file only carries bytes.
"use strict";

(function () {
  if (!window.PublicKeyCredential) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-passkey]"), function (b) {
      b.disabled = true;
      b.title = "This browser does not support passkeys";
    });
    return;
  }

  function bytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(b64 + "===".slice((b64.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }

  function text(buffer) {
    var raw = "", view = new Uint8Array(buffer);
    for (var i = 0; i < view.length; i++) { raw += String.fromCharCode(view[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    json.challenge = bytes(json.challenge);
    json.user.id = bytes(json.user.id);
    (json.excludeCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
    return json;
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    json.challenge = bytes(json.challenge);
    (json.allowCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
    return json;
  }

  function asJSON(credential) {
    if (credential.toJSON) { return credential.toJSON(); }
    var r = credential.response, out = { id: credential.id, rawId: text(credential.rawId),
      type: credential.type, clientExtensionResults: {}, response: { clientDataJSON: text(r.clientDataJSON) } };
    if (r.attestationObject) { out.response.attestationObject = text(r.attestationObject); }
    if (r.authenticatorData) {
      out.response.authenticatorData = text(r.authenticatorData);
      out.response.signature = text(r.signature);
      out.response.userHandle = r.userHandle ? text(r.userHandle) : null;
    }
    return out;
  }

  function say(form, message) {
    var where = form.querySelector("[data-passkey-status]");
    if (where) { where.textContent = message; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-passkey]");
    if (!button) { return; }
    event.preventDefault();
    var form = button.form;
    var registering = button.dataset.passkey === "register";
    button.disabled = true;
    say(form, "Waiting for your passkey…");
    var body = new URLSearchParams();
    body.set("csrf", form.elements.csrf.value);
    fetch(button.dataset.options, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("the server gave no options (" + r.status + ")"); }
        return r.json();
      })
      .then(function (json) {
        return registering
          ? navigator.credentials.create({ publicKey: creationOptions(json) })
          : navigator.credentials.get({ publicKey: requestOptions(json) });
      })
      .then(function (credential) {
        form.elements[button.dataset.field].value = JSON.stringify(asJSON(credential));
        form.submit();
      })
      .catch(function (error) {
        button.disabled = false;
        say(form, "The passkey was not used: " + error.message);
      });
  });
})();
