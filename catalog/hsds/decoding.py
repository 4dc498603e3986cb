"""Text from the bytes of one package file, whatever encoding and line endings it was saved with.

Real directories mix them: one file from a database export in UTF-8, another re-saved in Excel
on a Slovenian Windows (cp1250), a third from an old Western tool (latin-1), with BOMs and
CR, LF or CRLF line ends. Each file is detected on its own.
"""

# Letters a Slovenian (or neighbouring) text is made of, beyond ASCII: what a right guess yields.
CENTRAL = set("čšžćđČŠŽĆĐ")
WESTERN = set("äöüßéèàáâíóúñçëïôûÄÖÜÉÈÀÁÍÓÚÑÇ")


def decode(data: bytes) -> tuple[str, str]:
    """(text with LF line ends, the encoding used: utf-8, utf-8-sig, cp1250 or latin-1)."""
    encoding = detect(data)
    text = data.decode(encoding)
    # csv reads CR, LF and CRLF alike, but a mix inside quoted text would stay; make it one.
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def detect(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            data[3:].decode("utf-8")
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        central = data.decode("cp1250")
    except UnicodeDecodeError:  # bytes cp1250 leaves undefined (0x81, 0x83, ...): not a Windows text
        return "latin-1"
    western = data.decode("latin-1")
    # Both decode any byte in 0xA0-0xFF; count which reading yields real letters. Bytes
    # 0x80-0x9F are control characters in latin-1 but Š, š, Ž, ž in cp1250, so they count there.
    central_score = sum(ch in CENTRAL for ch in central)
    western_score = sum(ch in WESTERN for ch in western)
    return "latin-1" if western_score > central_score else "cp1250"
