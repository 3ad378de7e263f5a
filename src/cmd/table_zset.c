/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/table_zset.c: the sorted set command records (see cmd/groups.h), with
 * the flags, ACL categories and key specs COMMAND INFO shows for them (those
 * of redis 7.0, except ZRANK/ZREVRANK's arity -3 for Valkey's WITHSCORE);
 * the procs live in types/zset_*.c, the argument docs in cmd/docs_zset.c.
 */
#include "cmd/command.h"
#include "cmd/docs.h"
#include "cmd/docs_zset.h"
#include "cmd/groups.h"
#include "cmd/key_specs.h"
#include "types/zset.h"

static const KeySpec zrangestore_specs[] = {
    {.flags = CMD_KEY_OW | CMD_KEY_UPDATE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {2},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

Command zset_commands[] = {
    {.name = "zadd",
     .proc = cmd_zadd,
     .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Add one or more members to a sorted set, or update its score if it "
                "already exists",
     .complexity = "O(log(N)) for each item added, where N is the number of elements in "
                   "the sorted set.",
     .args = cmd_docs_zadd_args,
     .key_specs = cmd_spec_key1_rw_update,
     .history = cmd_docs_zadd_history},
    {.name = "zincrby",
     .proc = cmd_zincrby,
     .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Increment the score of a member in a sorted set",
     .complexity = "O(log(N)) where N is the number of elements in the sorted set.",
     .args = cmd_docs_zincrby_args,
     .key_specs = cmd_spec_key1_rw_access_update},
    {.name = "zrem",
     .proc = cmd_zrem,
     .arity = -3,
     .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Remove one or more members from a sorted set",
     .complexity = "O(M*log(N)) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements to be removed.",
     .args = cmd_docs_zrem_args,
     .key_specs = cmd_spec_key1_rw_delete,
     .history = cmd_docs_zrem_history},
    {.name = "zcard",
     .proc = cmd_zcard,
     .arity = 2,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Get the number of members in a sorted set",
     .complexity = "O(1)",
     .args = cmd_docs_zcard_args,
     .key_specs = cmd_spec_key1_ro},
    {.name = "zscore",
     .proc = cmd_zscore,
     .arity = 3,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Get the score associated with the given member in a sorted set",
     .complexity = "O(1)",
     .args = cmd_docs_zscore_args,
     .key_specs = cmd_spec_key1_ro_access},
    {.name = "zmscore",
     .proc = cmd_zmscore,
     .arity = -3,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Get the score associated with the given members in a sorted set",
     .complexity = "O(N) where N is the number of members being requested.",
     .args = cmd_docs_zmscore_args,
     .key_specs = cmd_spec_key1_ro_access},
    {.name = "zrank",
     .proc = cmd_zrank,
     .arity = -3,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "2.0.0",
     .group = "sorted-set",
     .summary = "Determine the index of a member in a sorted set",
     .complexity = "O(log(N))",
     .args = cmd_docs_zrank_args,
     .key_specs = cmd_spec_key1_ro_access,
     .history = cmd_docs_zrank_history},
    {.name = "zrevrank",
     .proc = cmd_zrevrank,
     .arity = -3,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "2.0.0",
     .group = "sorted-set",
     .summary = "Determine the index of a member in a sorted set, with scores ordered "
                "from high to low",
     .complexity = "O(log(N))",
     .args = cmd_docs_zrevrank_args,
     .key_specs = cmd_spec_key1_ro_access,
     .history = cmd_docs_zrevrank_history},
    {.name = "zrange",
     .proc = cmd_zrange,
     .arity = -4,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Return a range of members in a sorted set",
     .complexity = "O(log(N)+M) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements returned.",
     .args = cmd_docs_zrange_args,
     .key_specs = cmd_spec_key1_ro_access,
     .history = cmd_docs_zrange_history},
    {.name = "zrangestore",
     .proc = cmd_zrangestore,
     .arity = -5,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Store a range of members from sorted set into another key",
     .complexity = "O(log(N)+M) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements stored into the destination key.",
     .args = cmd_docs_zrangestore_args,
     .key_specs = zrangestore_specs},
    {.name = "zrevrange",
     .proc = cmd_zrevrange,
     .arity = -4,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by index, with scores "
                "ordered from high to low",
     .complexity = "O(log(N)+M) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements returned.",
     .args = cmd_docs_zrevrange_args,
     .key_specs = cmd_spec_key1_ro_access,
     .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `REV` argument"},
    {.name = "zrangebyscore",
     .proc = cmd_zrangebyscore,
     .arity = -4,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "1.0.5",
     .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by score",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set "
                   "and "
                   "M the number of elements being returned. If M is constant (e.g. "
                   "always "
                   "asking for the first 10 elements with LIMIT), you can consider it "
                   "O(log(N)).",
     .args = cmd_docs_zrangebyscore_args,
     .key_specs = cmd_spec_key1_ro_access,
     .history = cmd_docs_zrangebyscore_history,
     .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `BYSCORE` argument"},
    {.name = "zrevrangebyscore",
     .proc = cmd_zrevrangebyscore,
     .arity = -4,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.2.0",
     .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by score, with scores "
                "ordered from high to low",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set "
                   "and "
                   "M the number of elements being returned. If M is constant (e.g. "
                   "always "
                   "asking for the first 10 elements with LIMIT), you can consider it "
                   "O(log(N)).",
     .args = cmd_docs_zrevrangebyscore_args,
     .key_specs = cmd_spec_key1_ro_access,
     .history = cmd_docs_zrevrangebyscore_history,
     .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `REV` and `BYSCORE` arguments"},
    {.name = "zrangebylex",
     .proc = cmd_zrangebylex,
     .arity = -4,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.8.9",
     .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by lexicographical range",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set "
                   "and "
                   "M the number of elements being returned. If M is constant (e.g. "
                   "always "
                   "asking for the first 10 elements with LIMIT), you can consider it "
                   "O(log(N)).",
     .args = cmd_docs_zrangebylex_args,
     .key_specs = cmd_spec_key1_ro_access,
     .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `BYLEX` argument"},
    {.name = "zrevrangebylex",
     .proc = cmd_zrevrangebylex,
     .arity = -4,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.8.9",
     .group = "sorted-set",
     .summary = "Return a range of members in a sorted set, by lexicographical range, "
                "ordered from higher to lower strings.",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set "
                   "and "
                   "M the number of elements being returned. If M is constant (e.g. "
                   "always "
                   "asking for the first 10 elements with LIMIT), you can consider it "
                   "O(log(N)).",
     .args = cmd_docs_zrevrangebylex_args,
     .key_specs = cmd_spec_key1_ro_access,
     .doc_flags = CMD_DOC_DEPRECATED,
     .deprecated_since = "6.2.0",
     .replaced_by = "`ZRANGE` with the `REV` and `BYLEX` arguments"},
    {.name = "zcount",
     .proc = cmd_zcount,
     .arity = 4,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "2.0.0",
     .group = "sorted-set",
     .summary = "Count the members in a sorted set with scores within the "
                "given values",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .args = cmd_docs_zcount_args,
     .key_specs = cmd_spec_key1_ro_access},
    {.name = "zlexcount",
     .proc = cmd_zlexcount,
     .arity = 4,
     .flags = CMD_READONLY | CMD_FAST,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_FAST,
     .since = "2.8.9",
     .group = "sorted-set",
     .summary = "Count the number of members in a sorted set between a given "
                "lexicographical range",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .args = cmd_docs_zlexcount_args,
     .key_specs = cmd_spec_key1_ro_access},
    {.name = "zremrangebyrank",
     .proc = cmd_zremrangebyrank,
     .arity = 4,
     .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.0.0",
     .group = "sorted-set",
     .summary = "Remove all members in a sorted set within the given indexes",
     .complexity = "O(log(N)+M) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements removed by the operation.",
     .args = cmd_docs_zremrangebyrank_args,
     .key_specs = cmd_spec_key1_rw_delete},
    {.name = "zremrangebyscore",
     .proc = cmd_zremrangebyscore,
     .arity = 4,
     .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "1.2.0",
     .group = "sorted-set",
     .summary = "Remove all members in a sorted set within the given scores",
     .complexity = "O(log(N)+M) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements removed by the operation.",
     .args = cmd_docs_zremrangebyscore_args,
     .key_specs = cmd_spec_key1_rw_delete},
    {.name = "zremrangebylex",
     .proc = cmd_zremrangebylex,
     .arity = 4,
     .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.8.9",
     .group = "sorted-set",
     .summary = "Remove all members in a sorted set between the given lexicographical "
                "range",
     .complexity = "O(log(N)+M) with N being the number of elements in the "
                   "sorted set and "
                   "M the number of elements removed by the operation.",
     .args = cmd_docs_zremrangebylex_args,
     .key_specs = cmd_spec_key1_rw_delete},
    {.name = "zpopmin",
     .proc = cmd_zpopmin,
     .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST,
     .since = "5.0.0",
     .group = "sorted-set",
     .summary = "Remove and return members with the lowest scores in a sorted set",
     .complexity = "O(log(N)*M) with N being the number of elements in the "
                   "sorted set, and "
                   "M being the number of elements popped.",
     .args = cmd_docs_zpopmin_args,
     .key_specs = cmd_spec_key1_rw_access_delete},
    {.name = "zpopmax",
     .proc = cmd_zpopmax,
     .arity = -2,
     .flags = CMD_WRITE | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST,
     .since = "5.0.0",
     .group = "sorted-set",
     .summary = "Remove and return members with the highest scores in a sorted set",
     .complexity = "O(log(N)*M) with N being the number of elements in the "
                   "sorted set, and "
                   "M being the number of elements popped.",
     .args = cmd_docs_zpopmax_args,
     .key_specs = cmd_spec_key1_rw_access_delete},
    {.name = "zmpop",
     .proc = cmd_zmpop,
     .arity = -4,
     .flags = CMD_WRITE,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "7.0.0",
     .group = "sorted-set",
     .summary = "Remove and return members with scores in a sorted set",
     .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being "
                   "the "
                   "number of elements in the sorted set, and M being the number of "
                   "elements popped.",
     .args = cmd_docs_zmpop_args,
     .key_specs = cmd_spec_numkeys1_rw_access_delete},
    {.name = "bzpopmin",
     .proc = cmd_bzpopmin,
     .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST | ACL_BLOCKING,
     .since = "5.0.0",
     .group = "sorted-set",
     .summary = "Remove and return the member with the lowest score from one or more "
                "sorted sets, or block until one is available",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .args = cmd_docs_bzpopmin_args,
     .key_specs = cmd_spec_keys1_then_timeout_rw_access_delete,
     .history = cmd_docs_bzpopmin_history},
    {.name = "bzpopmax",
     .proc = cmd_bzpopmax,
     .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING | CMD_FAST,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_FAST | ACL_BLOCKING,
     .since = "5.0.0",
     .group = "sorted-set",
     .summary = "Remove and return the member with the highest score from one or more "
                "sorted sets, or block until one is available",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
     .args = cmd_docs_bzpopmax_args,
     .key_specs = cmd_spec_keys1_then_timeout_rw_access_delete,
     .history = cmd_docs_bzpopmax_history},
    {.name = "bzmpop",
     .proc = cmd_bzmpop,
     .arity = -5,
     .flags = CMD_WRITE | CMD_BLOCKING,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW | ACL_BLOCKING,
     .since = "7.0.0",
     .group = "sorted-set",
     .summary = "Remove and return members with scores in a sorted set or block until "
                "one is available",
     .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being "
                   "the "
                   "number of elements in the sorted set, and M being the number of "
                   "elements popped.",
     .args = cmd_docs_bzmpop_args,
     .key_specs = cmd_spec_numkeys2_rw_access_delete},
    {.name = "zrandmember",
     .proc = cmd_zrandmember,
     .arity = -2,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Get one or multiple random elements from a sorted set",
     .complexity = "O(N) where N is the number of elements returned",
     .args = cmd_docs_zrandmember_args,
     .key_specs = cmd_spec_key1_ro_access,
     .tips = cmd_tips_nondeterministic_output},
    {.name = "zunion",
     .proc = cmd_zunion,
     .arity = -3,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Add multiple sorted sets",
     .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the "
                   "input sorted "
                   "sets, and M being the number of elements in the resulting "
                   "sorted set.",
     .args = cmd_docs_zunion_args,
     .key_specs = cmd_spec_numkeys1_ro_access},
    {.name = "zinter",
     .proc = cmd_zinter,
     .arity = -3,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Intersect multiple sorted sets",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted "
                   "set, K being the number of input sorted sets and M being the number "
                   "of "
                   "elements in the resulting sorted set.",
     .args = cmd_docs_zinter_args,
     .key_specs = cmd_spec_numkeys1_ro_access},
    {.name = "zdiff",
     .proc = cmd_zdiff,
     .arity = -3,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Subtract multiple sorted sets",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number "
                   "of elements "
                   "in all the sets, N is the size of the first set, and K is "
                   "the size of "
                   "the result set.",
     .args = cmd_docs_zdiff_args,
     .key_specs = cmd_spec_numkeys1_ro_access},
    {.name = "zunionstore",
     .proc = cmd_zunionstore,
     .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.0.0",
     .group = "sorted-set",
     .summary = "Add multiple sorted sets and store the resulting sorted set in a new "
                "key",
     .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the "
                   "input sorted "
                   "sets, and M being the number of elements in the resulting "
                   "sorted set.",
     .args = cmd_docs_zunionstore_args,
     .key_specs = cmd_spec_zunionstore_like},
    {.name = "zinterstore",
     .proc = cmd_zinterstore,
     .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.0.0",
     .group = "sorted-set",
     .summary = "Intersect multiple sorted sets and store the resulting sorted "
                "set in a "
                "new key",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted "
                   "set, K being the number of input sorted sets and M being the number "
                   "of "
                   "elements in the resulting sorted set.",
     .args = cmd_docs_zinterstore_args,
     .key_specs = cmd_spec_zunionstore_like},
    {.name = "zdiffstore",
     .proc = cmd_zdiffstore,
     .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = ACL_WRITE | ACL_SORTEDSET | ACL_SLOW,
     .since = "6.2.0",
     .group = "sorted-set",
     .summary = "Subtract multiple sorted sets and store the resulting sorted "
                "set in a "
                "new key",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number "
                   "of elements "
                   "in all the sets, N is the size of the first set, and K is "
                   "the size of "
                   "the result set.",
     .args = cmd_docs_zdiffstore_args,
     .key_specs = cmd_spec_zunionstore_like},
    {.name = "zintercard",
     .proc = cmd_zintercard,
     .arity = -3,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "7.0.0",
     .group = "sorted-set",
     .summary = "Intersect multiple sorted sets and return the cardinality of the "
                "result",
     .complexity = "O(N*K) worst case with N being the smallest input sorted "
                   "set, K being "
                   "the number of input sorted sets.",
     .args = cmd_docs_zintercard_args,
     .key_specs = cmd_spec_numkeys1_ro_access},
    {.name = "zscan",
     .proc = cmd_zscan,
     .arity = -3,
     .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_SORTEDSET | ACL_SLOW,
     .since = "2.8.0",
     .group = "sorted-set",
     .summary = "Incrementally iterate sorted sets elements and associated scores",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection..",
     .args = cmd_docs_zscan_args,
     .key_specs = cmd_spec_key1_ro_access,
     .history = cmd_docs_zscan_history,
     .tips = cmd_tips_nondeterministic_output},
    {0},
};
