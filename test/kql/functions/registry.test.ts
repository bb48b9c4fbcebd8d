// Every function the engine promises is registered under its Kusto name.

import "../../../scripts/kql/engine/functions/index";
import { aggregateFunction, scalarFunction } from "../../../scripts/kql/engine/functions/registry";

const SCALARS = `now ago bin floor bin_at startofday startofweek startofmonth startofyear endofday
endofweek endofmonth endofyear dayofweek dayofmonth dayofyear hourofday getmonth getyear
monthofyear weekofyear format_datetime format_timespan datetime_diff datetime_add datetime_part
make_datetime make_timespan unixtime_seconds_todatetime unixtime_milliseconds_todatetime
unixtime_microseconds_todatetime unixtime_nanoseconds_todatetime todatetime totimespan tostring
toint tolong toreal todouble todecimal tobool toboolean toguid todynamic parse_json gettype strlen
substring strcat strcat_delim split replace_string replace_regex replace trim trim_start trim_end
tolower toupper indexof extract extract_all countof reverse url_decode url_encode
url_encode_component base64_encode_tostring base64_decode_tostring base64_encode_fromguid
parse_url parse_urlquery parse_path parse_command_line parse_csv hash_sha256 hash_sha1 hash_md5
hash strrep has_any_index string_size translate isascii to_utf8 unicode_codepoints_from_string
make_string ipv4_is_private ipv4_is_in_range ipv4_is_in_any_range ipv4_is_match ipv4_compare
parse_ipv4 parse_ipv4_mask ipv6_compare ipv6_is_match parse_ipv6 format_ipv4 format_ipv4_mask
ipv4_netmask_suffix array_length array_concat array_slice array_index_of array_sort_asc
array_sort_desc array_reverse array_sum array_iff array_rotate_left array_rotate_right
array_shift_left array_shift_right array_split set_has_element set_union set_intersect
set_difference pack bag_pack pack_array bag_keys bag_merge bag_remove_keys bag_has_key
bag_set_key zip jaccard_index treepath iff iif case coalesce isnull isnotnull isempty isnotempty
not isnan isinf isfinite abs round ceiling log log2 log10 exp exp2 exp10 pow sqrt sign min_of
max_of rand pi sin cos tan asin acos atan atan2 binary_and binary_or binary_xor binary_not
parse_xml strcat_array new_guid`.split(/\s+/);

const AGGREGATES = `count countif dcount dcountif sum sumif avg avgif min max minif maxif arg_max
arg_min make_set make_set_if make_list make_list_if make_list_with_nulls make_bag make_bag_if
take_any any take_anyif percentile percentiles stdev stdevif stdevp variance varianceif variancep
buildschema count_distinct`.split(/\s+/);

test.each(SCALARS)("scalar function %s is registered", (name) => {
  expect(scalarFunction(name)).toBeDefined();
});

test.each(AGGREGATES)("aggregate function %s is registered", (name) => {
  expect(aggregateFunction(name)).toBeDefined();
});
