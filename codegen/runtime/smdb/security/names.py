"""XML namespaces and URIs of the OIO IDWS profile (SOAP 1.1, WS-Security 1.1, WS-Addressing
1.0, WS-Trust 1.3, SAML 2.0), in one place."""

from __future__ import annotations

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSSE11 = "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
WST = "http://docs.oasis-open.org/ws-sx/ws-trust/200512"
WSP = "http://schemas.xmlsoap.org/ws/2004/09/policy"

X509_TOKEN = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
SAML_TOKEN = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0"
SAML_ID = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID"
HOLDER_OF_KEY = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"
RST_ISSUE = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue"
RSTR_ISSUE = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTR/Issue"
ISSUE = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue"
PUBLIC_KEY = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey"
# The attribute the STS puts the caller's myndighed (kommune code) and CVR in.
ATTRIBUTE_MYNDIGHED = "https://smdb.dst.dk/attributes/myndighed"
ATTRIBUTE_CVR = "dk:gov:saml:attribute:CvrNumberIdentifier"

NSMAP = {
    "s": SOAP,
    "wsa": WSA,
    "wsse": WSSE,
    "wsse11": WSSE11,
    "wsu": WSU,
    "ds": DS,
    "saml": SAML,
    "wst": WST,
    "wsp": WSP,
}


def q(namespace: str, name: str) -> str:
    """The Clark name lxml uses: q(WSU, "Id") -> '{...utility-1.0.xsd}Id'."""
    return "{" + namespace + "}" + name
