/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/key_specs.c: the shared key specs of cmd/key_specs.h.
 */
#include "cmd/key_specs.h"

const KeySpec cmd_spec_key1_ro_access[] = {
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_key1_rw_access_update[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1}, .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_key1_rw_update[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_UPDATE, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_key1_rw_insert[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_INSERT,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_key1_rw_access_delete[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_key1_ro[] = {
    {.flags = CMD_KEY_RO,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_key1_rw_delete[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_DELETE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_lmove_like[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {.flags = CMD_KEY_RW | CMD_KEY_INSERT,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {2},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {0},
};

const KeySpec cmd_spec_numkeys1_rw_access_delete[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_KEYNUM,
     .fk.keynum = {0, 1, 1}},
    {0},
};

const KeySpec cmd_spec_keys1_then_timeout_rw_access_delete[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {-2, 1, 0}},
    {0},
};

const KeySpec cmd_spec_numkeys2_rw_access_delete[] = {
    {.flags = CMD_KEY_RW | CMD_KEY_ACCESS | CMD_KEY_DELETE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {2},
     .find_keys = KSPEC_FK_KEYNUM,
     .fk.keynum = {0, 1, 1}},
    {0},
};

const KeySpec cmd_spec_numkeys1_ro_access[] = {
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX, .bs.index = {1},
     .find_keys = KSPEC_FK_KEYNUM, .fk.keynum = {0, 1, 1}},
    {0},
};

const KeySpec cmd_spec_zunionstore_like[] = {
    {.flags = CMD_KEY_OW | CMD_KEY_UPDATE,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {1},
     .find_keys = KSPEC_FK_RANGE,
     .fk.range = {0, 1, 0}},
    {.flags = CMD_KEY_RO | CMD_KEY_ACCESS,
     .begin_search = KSPEC_BS_INDEX,
     .bs.index = {2},
     .find_keys = KSPEC_FK_KEYNUM,
     .fk.keynum = {0, 1, 1}},
    {0},
};
