# bash completion for vafwatch: subcommands, then the long options the
# subcommand's own --help lists (so it never drifts from the program).
_vafwatch() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        local cmds
        cmds=$(vafwatch help 2>/dev/null | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
        COMPREPLY=($(compgen -W "$cmds help version" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        local opts mode=
        # cnv --genome has its own options
        [[ " ${COMP_WORDS[*]} " == *" --genome "* ]] && mode=--genome
        opts=$(vafwatch "${COMP_WORDS[1]}" $mode --help 2>/dev/null | grep -oE -- '--[a-zA-Z][a-zA-Z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _vafwatch vafwatch
