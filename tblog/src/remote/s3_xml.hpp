// The few facts tblog needs from S3's XML answers (a listing's keys and sizes, an error's code and
// message). S3 answers with flat, known elements, so a search for an element's text plus XML's
// five named entities and numeric references covers them; a full XML parser would be one more
// private dependency for every static user of tblog. Internal to tblog.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tblog::detail {

// The raw (undecoded) content of every <name>...</name> in `xml`, in order; nested elements of
// other names stay inside.
std::vector<std::string_view> xml_blocks(std::string_view xml, std::string_view name);
// The decoded text of the first <name>...</name>, or "" when there is none.
std::string xml_text(std::string_view xml, std::string_view name);
// &amp; &lt; &gt; &quot; &apos; and &#N; / &#xN; (ASCII only) decoded; anything else kept.
std::string xml_unescape(std::string_view text);

}  // namespace tblog::detail
