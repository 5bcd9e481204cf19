"""The one way security code reads a value out of a signed part: `signed_text`.

Exclusive C14N (every digest here) drops comments, and lxml's `.text` stops at the first child
node, so `<wsa:MessageID>uuid:abc<!--x-->def</wsa:MessageID>` digests as "uuid:abcdef" but
reads as "uuid:abc": a replayed request with a comment inside its ID would look new, a token
with one inside its myndighed would name another kommune (the SAML comment-truncation class of
2018). A processing instruction (kept by C14N, so only a signer can put one there) and a child
element where text belongs make `.text` read less than was signed too.

Why refuse instead of parsing with `remove_comments=True`/`remove_pis=True` (which would merge
the text around a comment, so the value read would match the digest): (1) C14N keeps PIs, so
removing them would make the tree we read differ from the bytes whose digests we check; (2)
the message is parsed in several places (the verifier, the emulator's codec, the client), and
the guarantee would rest on every one of those parsers keeping the option, where one that did
not would reopen the hole silently; (3) a child element inside a value needs its own rule in
either case. Refusing at the read holds whatever parsed the document, and no genuine OIO IDWS
peer puts a comment inside an identifier, a time or a certificate.

Every read is registered in `SIGNED_VALUES` (name -> where it is read): the tests insert a
comment and a PI into each of them, so a new read without its attack test fails them.
"""

from __future__ import annotations

from lxml import etree
from smdb.security.errors import BadMessage

__all__ = ["SIGNED_VALUES", "signed_text"]

SIGNED_VALUES = {
    "wsa:Action": "the operation a request calls, or an answer answers",
    "wsa:MessageID": "the replay cache's key, and what an answer relates to",
    "wsa:RelatesTo": "the request a signed answer answers (the client's check)",
    "wsa:To": "the endpoint a request was signed for",
    "wsu:Created": "the timestamp's start (freshness)",
    "wsu:Expires": "the timestamp's end (freshness)",
    "wsse:BinarySecurityToken": "the signer's certificate (STS requests, answers)",
    "wsse:KeyIdentifier": "the SAML token a request's signature refers to",
    "saml:Audience": "whom the token is for",
    "saml:myndighed": "the caller's myndighed (kommune code), an AttributeValue",
    "saml:cvr": "the caller's CVR, an AttributeValue",
    "saml:X509Certificate": "the holder-of-key certificate (SubjectConfirmationData)",
    "wst:Address": "the audience a token is asked for (the STS request's AppliesTo)",
    "wst:TokenType": "the kind of token an STS request asks for",
    "wst:RequestType": "the WS-Trust operation an STS request asks for (Issue)",
    "wst:KeyType": "how the token asked for is bound to its holder (PublicKey)",
}


def signed_text(element: etree._Element, value: str) -> str:
    """The text of `element`, stripped, read as the registered `value`; BadMessage when the
    element holds any node (comment, processing instruction, element): then `.text` would not
    be what was signed."""
    if value not in SIGNED_VALUES:
        raise KeyError(f"{value} is not a registered signed value")
    if len(element):
        raise BadMessage(
            f"{value}: a comment, processing instruction or element inside a signed value"
        )
    return (element.text or "").strip()
