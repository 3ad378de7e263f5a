# tests/helpers/info.tcl: reading fields out of INFO replies.
#
#   info_field [r info stats] total_commands_processed   -> 42
#   info_subfield [r info commandstats] cmdstat_ping calls -> 3
#   info_sections [r info]                               -> {Server Clients ...}
#
# Pure text helpers: they take the INFO reply, so the caller chooses the
# server and section. A missing field gives "", never an error, so tests can
# assert its absence.

# Value of "name:value" in an INFO reply, or "".
proc info_field {info name} {
    foreach line [split $info \n] {
        set line [string trimright $line \r]
        set colon [string first : $line]
        if {$colon > 0 && [string range $line 0 $colon-1] eq $name} {
            return [string range $line $colon+1 end]
        }
    }
    return ""
}

# Value of key inside a "name:key=value,key=value" field, or "".
proc info_subfield {info name key} {
    foreach pair [split [info_field $info $name] ,] {
        set eq [string first = $pair]
        if {$eq > 0 && [string range $pair 0 $eq-1] eq $key} {
            return [string range $pair $eq+1 end]
        }
    }
    return ""
}

# Section titles ("# Server" -> Server) in the order they appear.
proc info_sections {info} {
    set sections {}
    foreach line [split $info \n] {
        set line [string trimright $line \r]
        if {[string match "# *" $line]} {
            lappend sections [string range $line 2 end]
        }
    }
    return $sections
}

# Names of all fields ("name:value" lines) in an INFO reply.
proc info_field_names {info} {
    set names {}
    foreach line [split $info \n] {
        set line [string trimright $line \r]
        set colon [string first : $line]
        if {$colon > 0 && ![string match "#*" $line]} {
            lappend names [string range $line 0 $colon-1]
        }
    }
    return $names
}
