#include "common/charset.h"

#include <gtest/gtest.h>

#include <string>

namespace banwatch {
namespace {

using namespace std::string_literals;

// Decodes and expects success.
Decoded D(std::string_view bytes, std::string_view charset) {
  auto r = to_utf8(bytes, charset);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : Decoded{};
}

// ---------------------------------------------------------------------------
// Labels (WHATWG Encoding Standard section 4.2).

TEST(CharsetTest, Spec_Whatwg_Sec4_2_LabelsAreCaseAndSpaceInsensitive) {
  EXPECT_EQ(canonical_charset("  UTF-8 "), "UTF-8");
  EXPECT_EQ(canonical_charset("utf8"), "UTF-8");
  EXPECT_EQ(canonical_charset("Shift_JIS"), "Shift_JIS");
  EXPECT_EQ(canonical_charset("x-sjis"), "Shift_JIS");
  EXPECT_EQ(canonical_charset("WINDOWS-1251"), "windows-1251");
  EXPECT_EQ(canonical_charset("koi8-r"), "KOI8-R");
  EXPECT_EQ(canonical_charset("euc-kr"), "EUC-KR");
  EXPECT_EQ(canonical_charset("big5"), "Big5");
}

TEST(CharsetTest, Spec_Whatwg_Sec4_2_Latin1IsWindows1252) {
  EXPECT_EQ(canonical_charset("iso-8859-1"), "windows-1252");
  EXPECT_EQ(canonical_charset("ISO_8859-1"), "windows-1252");
  EXPECT_EQ(canonical_charset("latin1"), "windows-1252");
  EXPECT_EQ(canonical_charset("us-ascii"), "windows-1252");
  EXPECT_EQ(canonical_charset("iso-8859-9"), "windows-1254");
  EXPECT_EQ(canonical_charset("tis-620"), "windows-874");
}

TEST(CharsetTest, Spec_Whatwg_Sec4_2_Gb2312IsGbk) {
  EXPECT_EQ(canonical_charset("gb2312"), "GBK");
  EXPECT_EQ(canonical_charset("GB_2312-80"), "GBK");
  EXPECT_EQ(canonical_charset("gb18030"), "gb18030");
}

TEST(CharsetTest, Lenient_PythonAliases) {
  EXPECT_EQ(canonical_charset("u16"), "UTF-16");
  EXPECT_EQ(canonical_charset("utf16"), "UTF-16");
  EXPECT_EQ(canonical_charset("utf_8"), "UTF-8");
  EXPECT_EQ(canonical_charset("utf-32be"), "UTF-32BE");
}

TEST(CharsetTest, Spec_Whatwg_UnknownLabel) {
  EXPECT_EQ(canonical_charset("bogus"), "");
  EXPECT_EQ(canonical_charset(""), "");
  auto r = to_utf8("abc", "bogus-charset");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("bogus-charset"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Decoding.

TEST(CharsetTest, Spec_Decode_Windows1251) {
  auto d = D("\xCF\xF0\xE8\xE2\xE5\xF2", "windows-1251");
  EXPECT_EQ(d.text, "Привет");
  EXPECT_EQ(d.encoding, "windows-1251");
  EXPECT_EQ(d.replaced, 0u);
  EXPECT_TRUE(d.warnings.empty());
}

TEST(CharsetTest, Spec_Decode_Iso8859_2) {
  EXPECT_EQ(D("\xA3\xF3"
              "d\xBC",
              "ISO-8859-2")
                .text,
            "Łódź");
}

TEST(CharsetTest, Spec_Decode_Iso8859_7) { EXPECT_EQ(D("\xC5\xEB\xEB\xDC\xE4\xE1", "iso-8859-7").text, "Ελλάδα"); }

TEST(CharsetTest, Spec_Decode_Koi8r) { EXPECT_EQ(D("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r").text, "Привет"); }

TEST(CharsetTest, Spec_Decode_ShiftJis) {
  auto d = D("\x93\xFA\x96\x7B\x8C\xEA", "Shift_JIS");
  EXPECT_EQ(d.text, "日本語");
  EXPECT_EQ(d.encoding, "Shift_JIS");
  // Half-width katakana are single bytes in Shift_JIS.
  EXPECT_EQ(D("\xC3\xBD\xC4", "x-sjis").text, "ﾃｽﾄ");
}

TEST(CharsetTest, Spec_Decode_EucJpAndIso2022Jp) {
  EXPECT_EQ(D("\xC6\xFC\xCB\xDC", "euc-jp").text, "日本");
  EXPECT_EQ(D("\x1B$BF|K\\\x1B(B", "iso-2022-jp").text, "日本");
}

TEST(CharsetTest, Spec_Decode_Gb2312AsGbk) {
  auto d = D("\xD6\xD0\xCE\xC4", "gb2312");
  EXPECT_EQ(d.text, "中文");
  EXPECT_EQ(d.encoding, "GBK");
  // 0x80 is the euro sign in GBK (not in GB2312 proper).
  EXPECT_EQ(D("\x80", "gb2312").text, "€");
}

TEST(CharsetTest, Spec_Decode_Big5AndEucKr) {
  EXPECT_EQ(D("\xA4\xA4\xA4\xE5", "big5").text, "中文");
  EXPECT_EQ(D("\xB3\xE2", "euc-kr").text, "\ub144");
}

TEST(CharsetTest, Spec_Whatwg_Windows1252_C1Range) {
  EXPECT_EQ(D("\x80\x84\x91\x92", "iso-8859-1").text, "€„‘’");
  // The five unassigned bytes map to the C1 controls, as the Standard says.
  EXPECT_EQ(D("\x81\x9D", "windows-1252").text, "\u0081\u009D");
  EXPECT_EQ(D("caf\xE9", "latin1").text, "café");
  EXPECT_EQ(D("caf\xE9", "latin1").encoding, "windows-1252");
}

TEST(CharsetTest, Spec_Bom_Utf8Stripped) {
  auto d = D("\xEF\xBB\xBFhello", "utf-8");
  EXPECT_EQ(d.text, "hello");
  EXPECT_EQ(d.encoding, "UTF-8");
}

TEST(CharsetTest, Spec_Bom_Utf16WithBom) {
  EXPECT_EQ(D("\xFF\xFE<\0a\0>\0"s, "utf-16").text, "<a>");
  EXPECT_EQ(D("\xFE\xFF\0<\0a\0>"s, "utf-16").text, "<a>");
  EXPECT_EQ(D("\xFE\xFF\0<\0a\0>"s, "utf-16").encoding, "UTF-16BE");
  // Non-BMP characters come as surrogate pairs.
  EXPECT_EQ(D("\xFF\xFE\x3D\xD8\x00\xDE"s, "utf-16").text, "\U0001F600");
}

TEST(CharsetTest, Spec_Bom_WinsOverDeclaredCharset) {
  auto d = D("\xFF\xFEh\0i\0"s, "windows-1252");
  EXPECT_EQ(d.text, "hi");
  EXPECT_EQ(d.encoding, "UTF-16LE");
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_NE(d.warnings[0].find("byte order mark"), std::string::npos);
}

TEST(CharsetTest, Lenient_Utf16WithoutBomTakesOrderFromContent) {
  auto le = D("<\0?\0x\0m\0l\0"s, "utf-16");
  EXPECT_EQ(le.text, "<?xml");
  EXPECT_EQ(le.encoding, "UTF-16LE");
  auto be = D("\0<\0?\0x\0m\0l"s, "UTF-16");
  EXPECT_EQ(be.text, "<?xml");
  EXPECT_EQ(be.encoding, "UTF-16BE");
  EXPECT_EQ(D("h\0i\0"s, "utf-16le").text, "hi");
}

TEST(CharsetTest, Spec_Decode_Utf32) {
  EXPECT_EQ(D("\xFF\xFE\0\0h\0\0\0"s, "").text, "h");
  EXPECT_EQ(D("\0\0\0<\0\0\0a"s, "utf-32").text, "<a");
  EXPECT_EQ(D("<\0\0\0a\0\0\0"s, "utf-32le").text, "<a");
}

TEST(CharsetTest, Lenient_InvalidUtf8Replaced) {
  auto d =
      D("ok\xFF"
        "and\xC3",
        "utf-8");
  EXPECT_EQ(d.text, "ok\uFFFDand\uFFFD");
  EXPECT_EQ(d.replaced, 2u);
  ASSERT_EQ(d.warnings.size(), 1u);  // one warning, however many bytes
  EXPECT_NE(d.warnings[0].find("2 invalid"), std::string::npos);
}

TEST(CharsetTest, Spec_Unicode_Ch3_MaximalSubpartReplacement) {
  // A truncated three-byte sequence is one U+FFFD; a surrogate encoding
  // (ED A0 80) and an overlong (C0 AF) are one per byte.
  EXPECT_EQ(D("\xE2\x82"
              "x",
              "utf-8")
                .text,
            "\uFFFDx");
  EXPECT_EQ(D("\xED\xA0\x80", "utf-8").text, "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(D("\xC0\xAF", "utf-8").text, "\uFFFD\uFFFD");
  EXPECT_EQ(D("\xF4\x90\x80\x80", "utf-8").replaced, 4u);
}

TEST(CharsetTest, Lenient_InvalidBytesInLegacyCharsetReplaced) {
  // 0x98 is unassigned in windows-1251; a lone lead byte ends Shift_JIS.
  auto d =
      D("a\x98"
        "b",
        "windows-1251");
  EXPECT_EQ(d.text, "a\uFFFDb");
  EXPECT_EQ(d.replaced, 1u);
  auto sj = D("\x93\xFA\x96", "shift_jis");
  EXPECT_EQ(sj.text, "日\uFFFD");
  EXPECT_EQ(sj.replaced, 1u);
  EXPECT_EQ(sj.warnings.size(), 1u);
}

TEST(CharsetTest, Lenient_LoneSurrogateInUtf16Replaced) {
  auto d =
      D("a\0\x00\xD8"
        "b\0"s,
        "utf-16le");
  EXPECT_EQ(d.text, "a\uFFFDb");
  EXPECT_EQ(d.replaced, 1u);
}

TEST(CharsetTest, Lenient_OddByteCountInUtf16) {
  auto d = D("a\0b"s, "utf-16le");
  EXPECT_EQ(d.text, "a\uFFFD");
  EXPECT_EQ(d.replaced, 1u);
}

TEST(CharsetTest, Lenient_NoCharsetGuessesUtf8ThenWindows1252) {
  auto u = D("caf\xC3\xA9", "");
  EXPECT_EQ(u.text, "café");
  EXPECT_EQ(u.encoding, "UTF-8");
  EXPECT_TRUE(u.warnings.empty());
  auto w = D("caf\xE9", "");
  EXPECT_EQ(w.text, "café");
  EXPECT_EQ(w.encoding, "windows-1252");
  EXPECT_EQ(w.warnings.size(), 1u);
}

TEST(CharsetTest, Spec_Decode_EmptyInput) {
  EXPECT_EQ(D("", "utf-8").text, "");
  EXPECT_EQ(D("", "shift_jis").text, "");
  EXPECT_EQ(D("", "utf-16").text, "");
}

TEST(CharsetTest, Spec_Decode_LargeInputGrowsBuffer) {
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "\xCF\xF0";
  auto d = D(big, "cp1251");
  EXPECT_EQ(d.text.size(), 400000u);
  EXPECT_EQ(d.text.substr(0, 4), "Пр");
}

// ---------------------------------------------------------------------------
// Sniffing.

TEST(CharsetTest, Spec_Whatwg_BomSniff) {
  EXPECT_EQ(sniff_bom("\xEF\xBB\xBF<"), "UTF-8");
  EXPECT_EQ(sniff_bom("\xFF\xFE<\0"s), "UTF-16LE");
  EXPECT_EQ(sniff_bom("\xFE\xFF\0<"s), "UTF-16BE");
  EXPECT_EQ(sniff_bom("\xFF\xFE\0\0"s), "UTF-32LE");
  EXPECT_EQ(sniff_bom("\0\0\xFE\xFF"s), "UTF-32BE");
  EXPECT_EQ(sniff_bom("<?xml"), "");
  EXPECT_EQ(sniff_bom(""), "");
  EXPECT_EQ(sniff_bom("\xEF\xBB"), "");
}

TEST(CharsetTest, Spec_Xml_Sec4_3_3_EncodingDeclaration) {
  EXPECT_EQ(xml_declared_encoding("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss/>"), "windows-1251");
  EXPECT_EQ(xml_declared_encoding("<?xml version='1.0' encoding = 'ISO-8859-2' ?>"), "ISO-8859-2");
  EXPECT_EQ(xml_declared_encoding("<?xml version=\"1.0\"?><rss/>"), "");
  EXPECT_EQ(xml_declared_encoding("<rss encoding=\"x\"/>"), "");
  EXPECT_EQ(xml_declared_encoding(""), "");
  EXPECT_EQ(xml_declared_encoding("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "utf-8");
  // The attribute must be in the declaration, not later in the document.
  EXPECT_EQ(xml_declared_encoding("<?xml version=\"1.0\"?><a encoding=\"koi8-r\"/>"), "");
}

TEST(CharsetTest, Spec_Xml_AppendixF_Utf16WithoutBom) {
  std::string le;
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"utf-16\"?>")) le += c, le += '\0';
  EXPECT_EQ(xml_declared_encoding(le), "utf-16");
  std::string be;
  for (char c : std::string("<?xml version=\"1.0\"?>")) be += '\0', be += c;
  EXPECT_EQ(xml_declared_encoding(be), "UTF-16BE");
  // A declaration that names an 8-bit charset cannot describe 16-bit bytes.
  std::string lying;
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?>")) lying += c, lying += '\0';
  EXPECT_EQ(xml_declared_encoding(lying), "UTF-16LE");
}

TEST(CharsetTest, Spec_Xml_AppendixF_Utf32AndBom) {
  std::string le32;
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"utf-32le\"?>")) le32 += c, le32 += std::string(3, '\0');
  EXPECT_EQ(xml_declared_encoding(le32), "utf-32le");
  std::string bom16 = "\xFF\xFE";
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"utf-16\"?>")) bom16 += c, bom16 += '\0';
  EXPECT_EQ(xml_declared_encoding(bom16), "utf-16");
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_2_MetaCharset) {
  EXPECT_EQ(html_meta_charset("<html><head><meta charset=\"windows-1251\">"), "windows-1251");
  EXPECT_EQ(html_meta_charset("<meta charset=utf-8>"), "UTF-8");
  EXPECT_EQ(html_meta_charset("<META CHARSET='Shift_JIS'/>"), "Shift_JIS");
  EXPECT_EQ(html_meta_charset("<html><body>no meta</body></html>"), "");
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_2_HttpEquiv) {
  EXPECT_EQ(html_meta_charset("<meta http-equiv=\"Content-Type\" "
                              "content=\"text/html; charset=ISO-8859-2\">"),
            "ISO-8859-2");
  EXPECT_EQ(html_meta_charset("<meta content='text/html;charset=gb2312' "
                              "http-equiv='content-type'>"),
            "GBK");
  // content= without http-equiv=content-type is not a declaration.
  EXPECT_EQ(html_meta_charset("<meta name=x content=\"charset=koi8-r\">"), "");
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_2_SkipsCommentsAndAttributes) {
  EXPECT_EQ(html_meta_charset("<!-- <meta charset=koi8-r> --><meta charset=utf-8>"), "UTF-8");
  EXPECT_EQ(html_meta_charset("<div title='<meta charset=koi8-r>'></div><meta charset=big5>"), "Big5");
  EXPECT_EQ(html_meta_charset("<meta charset=bogus><meta charset=euc-kr>"), "EUC-KR");
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_2_Utf16MeansUtf8) {
  EXPECT_EQ(html_meta_charset("<meta charset=utf-16>"), "UTF-8");
  EXPECT_EQ(html_meta_charset("<meta charset=x-user-defined>"), "windows-1252");
}

TEST(CharsetTest, Spec_Html_PrescanLimit) {
  std::string page = "<html>" + std::string(5000, ' ') + "<meta charset=koi8-r>";
  EXPECT_EQ(html_meta_charset(page), "");
  EXPECT_EQ(html_meta_charset(page, 8192), "KOI8-R");
}

TEST(CharsetTest, Spec_Rfc9110_Sec8_3_ContentTypeCharset) {
  EXPECT_EQ(charset_from_content_type("text/xml; charset=utf-8"), "utf-8");
  EXPECT_EQ(charset_from_content_type("text/html;Charset=\"Windows-1251\""), "Windows-1251");
  EXPECT_EQ(charset_from_content_type("application/rss+xml"), "");
  EXPECT_EQ(charset_from_content_type("text/plain; format=flowed; charset=koi8-r; x=y"), "koi8-r");
  EXPECT_EQ(charset_from_content_type("text/plain; note=\"a;charset=x\"; charset=big5"), "big5");
  EXPECT_EQ(charset_from_content_type("text/xml; charset="), "");
  EXPECT_EQ(charset_from_content_type(""), "");
}

TEST(CharsetTest, Spec_Rfc3629_Sec4_ValidUtf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("Привет, 日本語, \U0001F600"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("abcdefgh\x80"));      // stray continuation
  EXPECT_FALSE(is_valid_utf8("\xE6\x97"));          // truncated
}

TEST(CharsetTest, Spec_Uax15_Nfc) {
  EXPECT_EQ(nfc("Cafe\u0301"), "Caf\u00e9");
  EXPECT_EQ(nfc("\u1100\u1161"), "\uac00");  // Hangul jamo compose
  EXPECT_EQ(nfc("already NFC: é"), "already NFC: é");
  EXPECT_EQ(nfc("ascii"), "ascii");
  EXPECT_EQ(nfc(""), "");
  EXPECT_EQ(nfc("bad\xFF"), "bad\uFFFD");
}

TEST(CharsetTest, Spec_Uax15_NfcComposesAfterQuickCheckBlocks) {
  // Letters from the quick-check blocks followed by marks that compose.
  EXPECT_EQ(nfc("\u0410\u0306"), "\u04D0");  // Cyrillic A + breve
  EXPECT_EQ(nfc("\uAC00\u11A8"), "\uAC01");  // Hangul LV + trailing jamo
  EXPECT_EQ(nfc("\u304B\u3099"), "\u304C");  // ka + voiced mark
  EXPECT_EQ(nfc("\u2000"), "\u2002");        // singleton decomposition
  EXPECT_EQ(nfc("\u212B"), "\u00C5");        // Angstrom sign
  EXPECT_EQ(nfc("\u041F\u0440\u0438\u0432\u0435\u0442 \u4E2D\u6587 \u2014 \uD55C"),
            "\u041F\u0440\u0438\u0432\u0435\u0442 \u4E2D\u6587 \u2014 \uD55C");
}

TEST(CharsetTest, Lenient_UnassignedByteInSingleByteCharset) {
  // 0xAE has no character in ISO-8859-7; 0xA4 is the euro sign in 8859-15.
  auto d =
      D("a\xAE"
        "b",
        "iso-8859-7");
  EXPECT_EQ(d.text, "a\uFFFDb");
  EXPECT_EQ(d.replaced, 1u);
  EXPECT_EQ(D("\xA4", "latin9").text, "\u20AC");
  EXPECT_EQ(D("\x80\xFF", "ibm866").text, "\u0410\u00A0");
}

TEST(CharsetTest, Spec_Decode_Windows1258Composes) {
  // Vietnamese: 'a' followed by the combining acute (0xEC) is one character
  // in NFC; the decoder composes it as glibc's windows-1258 does.
  EXPECT_EQ(nfc(D("a\xEC", "windows-1258").text), "\u00E1");
}

}  // namespace
}  // namespace banwatch

namespace banwatch {
namespace {

TEST(CharsetTest, Spec_Html_Sec13_2_3_1_BomFirst) {
  auto d = decode_html("\xEF\xBB\xBF<meta charset=koi8-r>\xD0\x96", "windows-1251");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.text, "<meta charset=koi8-r>Ж");
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_1_HttpOverridesMeta) {
  auto d = decode_html("<meta charset=utf-8><p>\xCF\xF0\xE8\xE2\xE5\xF2", "windows-1251");
  EXPECT_EQ(d.encoding, "windows-1251");
  EXPECT_EQ(d.text, "<meta charset=utf-8><p>Привет");
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_1_MetaWhenNoHttpCharset) {
  auto d = decode_html("<meta charset=shift_jis><p>\x93\xFA\x96\x7B", "");
  EXPECT_EQ(d.encoding, "Shift_JIS");
  EXPECT_EQ(d.text, "<meta charset=shift_jis><p>日本");
  EXPECT_TRUE(d.warnings.empty());
}

TEST(CharsetTest, Spec_Html_Sec13_2_3_1_DefaultsWithoutDeclaration) {
  EXPECT_EQ(decode_html("<p>caf\xC3\xA9", "").encoding, "UTF-8");
  auto w = decode_html("<p>caf\xE9", "");
  EXPECT_EQ(w.encoding, "windows-1252");
  EXPECT_EQ(w.text, "<p>café");
  EXPECT_EQ(w.warnings.size(), 1u);
}

TEST(CharsetTest, Lenient_Html_Latin1LabelOnUtf8Bytes) {
  auto d = decode_html("<p>caf\xC3\xA9 \xE2\x80\x94 ok", "iso-8859-1");
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.text, "<p>café — ok");
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_NE(d.warnings[0].find("HTTP charset"), std::string::npos);
  // Pure ASCII stays as labelled; real Latin-1 stays Latin-1.
  EXPECT_EQ(decode_html("<p>plain", "iso-8859-1").encoding, "windows-1252");
  EXPECT_EQ(decode_html("<p>caf\xE9", "iso-8859-1").text, "<p>café");
}

TEST(CharsetTest, Lenient_Html_WrongHttpUtf8YieldsToMeta) {
  auto d = decode_html("<meta charset=windows-1251><p>\xCF\xF0\xE8\xE2\xE5\xF2", "utf-8");
  EXPECT_EQ(d.encoding, "windows-1251");
  EXPECT_EQ(d.text, "<meta charset=windows-1251><p>Привет");
  ASSERT_EQ(d.warnings.size(), 1u);
  // Valid UTF-8 keeps the HTTP charset whatever <meta> says.
  EXPECT_EQ(decode_html("<meta charset=windows-1251><p>\xD0\x96", "utf-8").text, "<meta charset=windows-1251><p>Ж");
}

TEST(CharsetTest, Lenient_Html_UnknownHttpCharsetFallsThrough) {
  auto d = decode_html("<meta charset=euc-kr>\xB3\xE2", "x-bogus");
  EXPECT_EQ(d.encoding, "EUC-KR");
  EXPECT_EQ(d.text, "<meta charset=euc-kr>\ub144");
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_NE(d.warnings[0].find("x-bogus"), std::string::npos);
}

TEST(CharsetTest, Lenient_Html_InvalidBytesWarnOnce) {
  auto d = decode_html("<meta charset=utf-8>ok\xFF\xFE\xFD", "");
  EXPECT_EQ(d.replaced, 3u);
  EXPECT_EQ(d.warnings.size(), 1u);
}

}  // namespace
}  // namespace banwatch

namespace banwatch {
namespace {

TEST(CharsetTest, Lenient_Xml_WhitespaceBeforeDeclaration) {
  EXPECT_EQ(xml_declared_encoding("\n  <?xml version=\"1.0\" encoding=\"koi8-r\"?>"), "koi8-r");
}

TEST(CharsetTest, Spec_Xml_Sec4_3_3_SingleQuotesAndSpacing) {
  EXPECT_EQ(xml_declared_encoding("<?xml version='1.0'\tencoding\n=\n'EUC-JP'?>"), "EUC-JP");
  EXPECT_EQ(xml_declared_encoding("<?xml version='1.0' encoding='unterminated?>"), "");
  EXPECT_EQ(xml_declared_encoding("<?xml-stylesheet href='a' encoding='x'?>"), "");
}

}  // namespace
}  // namespace banwatch

namespace banwatch {
namespace {

TEST(CharsetTest, Spec_Xml_AppendixF_Ebcdic) {
  // "<?xml version='1.0' encoding='cp037'?><a>Hi</a>" in IBM037.
  const std::string ebcdic =
      "\x4C\x6F\xA7\x94\x93\x40\xA5\x85\x99\xA2\x89\x96\x95\x7E\x7D\xF1\x4B\xF0\x7D"
      "\x40\x85\x95\x83\x96\x84\x89\x95\x87\x7E\x7D\x83\x97\xF0\xF3\xF7\x7D\x6F\x6E"
      "\x4C\x81\x6E\xC8\x89\x4C\x61\x81\x6E";
  EXPECT_EQ(xml_declared_encoding(ebcdic), "cp037");
  auto d = D(ebcdic, "cp037");
  EXPECT_EQ(d.text, "<?xml version='1.0' encoding='cp037'?><a>Hi</a>");
  EXPECT_EQ(d.encoding, "IBM037");
}

// Terminal tables: columns, not bytes or code points.
TEST(CharsetTest, DisplayWidthCountsColumns) {
  EXPECT_EQ(display_width("Huawei"), 6u);
  EXPECT_EQ(display_width("Bundesamt für"), 13u);  // ü: two bytes, one column
  EXPECT_EQ(display_width("cafe\u0301"), 4u);      // a combining accent takes none
  EXPECT_EQ(display_width("\u534e\u4e3a"), 4u);    // 华为: two wide characters
  EXPECT_EQ(display_width("\xff"), 1u);            // an invalid byte still shows
}

TEST(CharsetTest, FitWidthCutsWithAnEllipsisAndPads) {
  EXPECT_EQ(fit_width("ZTE", 6), "ZTE   ");
  EXPECT_EQ(fit_width("Hikvision", 9), "Hikvision");
  EXPECT_EQ(fit_width("Hikvision", 6), "Hikvi…");
  EXPECT_EQ(fit_width("Behörde für Sicherheit", 8), "Behörde…");
  EXPECT_EQ(display_width(fit_width("Behörde für Sicherheit", 8)), 8u);
  // A wide character that would straddle the edge is left out, and a space keeps the width.
  EXPECT_EQ(fit_width("\u534e\u4e3a\u6280\u672f", 6), "\u534e\u4e3a… ");
  EXPECT_EQ(fit_width("cafe\u0301 noir", 5), "cafe\u0301…");
}

}  // namespace
}  // namespace banwatch
