"""QR payloads for one provider: a vCard 3.0 contact, a tel: URI or a URL."""

from __future__ import annotations

from dataclasses import dataclass

from booklet.compose.text import dial_string, web_link
from booklet.errors import LayoutError

PAYLOADS = ("vcard", "tel", "url")


@dataclass(frozen=True)
class Contact:
    """What a phone should save: plain strings, already in one language.

    `address` is only ever the public address: the select stage has already
    removed confidential and caseworker-only ones from public editions.
    """

    id: str
    name: str
    discreet_name: str = ""
    phones: tuple[str, ...] = ()
    address: str = ""
    website: str = ""
    hours: str = ""


def escape(value: str) -> str:
    """A text value escaped as RFC 2426 section 4 asks: backslash, comma and
    semicolon take a backslash, a line break becomes \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def vcard(contact: Contact, discreet: bool = False) -> bytes:
    """A vCard 3.0 (RFC 2426) as UTF-8 bytes with CRLF line endings.

    Discreet cards carry only the neutral name, the phones and the hours: a
    website or address would tell anyone who looks at the phone what the
    contact is.
    """
    name = escape(contact.discreet_name if discreet and contact.discreet_name
                  else contact.name)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{name};;;;", f"FN:{name}"]
    # International form so the number works from a foreign SIM; short codes
    # (111, 113) and 1800/1900 numbers are dialled as written.
    lines += [f"TEL;TYPE=VOICE:{dial}" for dial in dialled(contact)]
    if contact.address and not discreet:
        lines.append(f"ADR;TYPE=WORK:;;{escape(contact.address)};;;;")
    if contact.website and not discreet:
        lines.append(f"URL:{web_link(contact.website)}")
    if contact.hours:
        lines.append(f"NOTE:{escape(contact.hours)}")
    lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def dialled(contact: Contact) -> list[str]:
    """What a phone dials for each number; a number that could ring a stranger
    (invalid, or written in a pre-2017 style) is left out of QR codes and
    links, though the leaflet still prints it as written."""
    return [d for d in (dial_string(n) for n in contact.phones) if d]


def tel(contact: Contact) -> bytes | None:
    """A tel: URI (RFC 3966) for the first dialable phone, or None."""
    dials = dialled(contact)
    return ("tel:" + dials[0]).encode("utf-8") if dials else None




def url(contact: Contact, base: str | None) -> bytes:
    """The provider's page under the configured base URL."""
    if not base:
        raise LayoutError(
            "the layout asks for URL QR codes (qr.payload: url) but "
            "content/document.yaml has no settings.qr_base_url; add one, for "
            "example qr_base_url: https://example.org/s/, or use qr.payload: vcard")
    return (base.rstrip("/") + "/" + contact.id).encode("utf-8")


def payload(kind: str, contact: Contact, discreet: bool = False,
            base_url: str | None = None) -> bytes | None:
    """The QR payload `kind` for `contact`, or None when there is nothing a
    phone could dial or open (no dialable phone and no website)."""
    if kind not in PAYLOADS:
        raise LayoutError(
            f"qr.payload '{kind}' is not known; use one of: {', '.join(PAYLOADS)}")
    if not dialled(contact) and not contact.website:
        return None
    if kind == "vcard":
        # A discreet card keeps no website: with no number either, it would
        # save a bare name under a caption that promises a number.
        if discreet and not dialled(contact):
            return None
        if not dialled(contact):
            # With no number, a card would only offer to save a name; the
            # website itself is what the reader can use, and the caption
            # says "Scan to open the website".
            return web_link(contact.website).encode("ascii")
        return vcard(contact, discreet)
    if kind == "tel":
        if dialled(contact):
            return tel(contact)
        return None if discreet else web_link(contact.website).encode("ascii")
    return url(contact, base_url)
