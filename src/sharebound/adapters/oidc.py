"""Talking to an org's OpenID provider (httpx2): discovery, the token exchange, its keys, and
the ID token's signature (joserfc, Authlib's JOSE library).

Every request goes only where the admin pointed (the issuer, and the endpoints its discovery
document names), under the webhooks' address rule (domain/addresses.py): the host is resolved
once, each answer checked (loopback, private, ... are refused unless SHAREBOUND_SSO_ALLOW
allows them), and the connection made to the checked address, so that DNS rebinding cannot
send the request elsewhere. No redirect is followed, no proxy from the environment is used.
Errors name a category, never the far side's answer (an admin could probe an address with it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from sharebound.adapters.webhooks import Resolver, category, resolve
from sharebound.domain.addresses import AllowList, address_kind, literal_address
from sharebound.domain.sso import Endpoints

#: Top-level names reserved for examples and tests (RFC 2606, RFC 6761): never on the internet,
#: so not worth a DNS query (and tests and the API's examples use them).
RESERVED_NAMES = (".example", ".invalid", ".test", ".localhost", ".local")
MAX_BODY = 1_048_576  # why: a discovery document or a key set is a few KB; more is not one
#: the signature algorithms we accept (never `none`, never HMAC with the client secret)
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


class ProviderError(Exception):
    """The provider could not be reached, or answered something that is not what OIDC says;
    the message completes "the provider ..." (e.g. "could not be reached (timed out)")."""


@dataclass(frozen=True)
class Oidc:
    """The HTTP side of SSO, bound to the operator's allow list and timeout."""

    allow: AllowList
    timeout: float = 10.0
    resolve: Resolver = resolve

    def _check(self, url: str) -> tuple[str, str]:
        """(the address to connect to, the host) for `url`, or ProviderError why not."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host:
            raise ProviderError("is not at an http(s) URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        reserved = ("." + host.lower().rstrip(".")).endswith(RESERVED_NAMES)
        addresses = [] if reserved and literal_address(host) is None else self.resolve(host, port)
        if not addresses:
            raise ProviderError("has a host name that is not found")
        if not self.allow.allows_host(host):
            for text in addresses:
                address = literal_address(text)
                kind = address_kind(address) if address is not None else "unknown"
                if kind is not None and not (address is not None and self.allow.allows_address(address)):
                    raise ProviderError(f"reaches a {kind} address; identity providers must be on "
                                        "the public internet, unless the operator allows the host "
                                        "(SHAREBOUND_SSO_ALLOW)")
        return addresses[0], host

    def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        address, host = self._check(url)
        parts = urlsplit(url)
        pinned = "[" + address + "]" if ":" in address else address
        netloc = pinned + (f":{parts.port}" if parts.port else "")
        headers = {"Host": parts.netloc.rpartition("@")[2], "Accept": "application/json",
                   "User-Agent": "Sharebound-SSO/1", **kwargs.pop("headers", {})}
        try:
            with httpx2.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
                answer = client.request(method, urlunsplit(parts._replace(netloc=netloc)),
                                        headers=headers, extensions={"sni_hostname": host}, **kwargs)
        except httpx2.HTTPError as error:
            raise ProviderError(f"could not be reached ({category(error)})") from None
        if len(answer.content) > MAX_BODY:
            raise ProviderError("answered with too large a body")
        try:
            body = json.loads(answer.content)
        except ValueError:
            raise ProviderError(f"answered HTTP {answer.status_code} without JSON") from None
        if not isinstance(body, dict):
            raise ProviderError("answered with JSON that is not an object")
        if answer.status_code != 200:
            said = body.get("error")
            code = said if isinstance(said, str) and said.isascii() and len(said) < 60 else "an error"
            raise ProviderError(f"answered HTTP {answer.status_code} ({code})")
        return body

    def discover(self, issuer: str) -> Endpoints:
        """The endpoints the issuer's discovery document names; its `issuer` must be the one
        asked for (OpenID Connect Discovery 1.0, section 4.3)."""
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        document = self._request("GET", url)
        if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
            raise ProviderError("names another issuer in its discovery document")
        found: dict[str, str] = {}
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = document.get(key)
            if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
                raise ProviderError(f"has no {key} in its discovery document")
            if urlsplit(value).scheme != urlsplit(issuer).scheme:
                raise ProviderError(f"does not use the issuer's scheme for its {key}")
            found[key] = value
        methods = document.get("code_challenge_methods_supported")
        if isinstance(methods, list) and "S256" not in methods:
            raise ProviderError("it does not support PKCE with S256")
        self._check(found["token_endpoint"])
        self._check(found["jwks_uri"])
        return Endpoints(found["authorization_endpoint"], found["token_endpoint"], found["jwks_uri"])

    def exchange(self, endpoints: Endpoints, *, code: str, verifier: str, redirect_uri: str,
                 client_id: str, client_secret: str) -> str:
        """The ID token the token endpoint gives for an authorization code (client_secret_basic)."""
        body = self._request(
            "POST", endpoints.token, auth=(client_id, client_secret),
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                  "code_verifier": verifier})
        token = body.get("id_token")
        if not isinstance(token, str) or not token:
            raise ProviderError("gave no ID token")
        return token

    def verified_claims(self, endpoints: Endpoints, id_token: str) -> dict[str, Any]:
        """The ID token's claims, once its signature checks against the provider's keys.
        Raises BadSignature otherwise; the claims themselves are checked by domain/sso.py."""
        keys = self._request("GET", endpoints.jwks)
        try:
            key_set = KeySet.import_key_set(keys)
        except (JoseError, ValueError, TypeError, KeyError):
            raise ProviderError("published keys that are not a JSON Web Key Set") from None
        try:
            token = jwt.decode(id_token, key_set, algorithms=ALGORITHMS)
        except (JoseError, ValueError, TypeError, KeyError):
            raise BadSignature from None
        return dict(token.claims)


class BadSignature(Exception):
    """The ID token is not signed by one of the provider's keys (or is not a signed JWT)."""
