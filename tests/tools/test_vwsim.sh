#!/bin/sh
# test_vwsim.sh -- checks the read simulator against samtools.
#
#   test_vwsim.sh VWSIM TESTDATA_SIM_DIR WORK_DIR
#
# For every simulated BAM: valid, coordinate-sorted and indexed; the expected
# number of reads and duplicates; and every truth row recomputed from the BAM
# by two independent routes: samtools mpileup (SNVs: read_ref, read_alt,
# read_depth and, through read names and flags, every fragment column) and a
# CIGAR walker in awk (all variants, indels included, using the FASTA).
# Exits 77 (skip) without samtools.  The last line is "N passed, N failed".

VWSIM=$1
DATA=$2
WORK=$3
if [ -z "$VWSIM" ] || [ -z "$DATA" ] || [ -z "$WORK" ]; then
    echo "usage: $0 VWSIM TESTDATA_SIM_DIR WORK_DIR" >&2
    exit 2
fi
if ! command -v samtools >/dev/null 2>&1; then
    echo "samtools not found: skipping"
    exit 77
fi
export LC_ALL=C

n_pass=0
n_fail=0
pass() { n_pass=$((n_pass + 1)); echo "ok   - $1"; }
fail() { n_fail=$((n_fail + 1)); echo "FAIL - $1"; }
# check DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

rm -rf "$WORK"
mkdir -p "$WORK" || exit 1

# ---------------------------------------------------------------------------
# Independent recomputation of the truth from the BAM.
# ---------------------------------------------------------------------------

# mpileup route, SNVs only.  Prints the 11 truth count columns
# (frag_depth .. frag_alt_rev) for one SNV.
mpileup_counts() { # BAM CHROM POS REF ALT [FASTA]
    _ref_opt=
    [ -n "$6" ] && _ref_opt="-f $6"
    # shellcheck disable=SC2086
    samtools mpileup -B -x -A -d 0 -Q 0 -q 0 --ff UNMAP,SECONDARY,QCFAIL,DUP \
        --output-extra QNAME,FLAG $_ref_opt -r "$2:$3-$3" "$1" 2>/dev/null |
    awk -F '\t' -v REF="$4" -v ALT="$5" -v POS="$3" '
    function bit(f, b) { return int(f / b) % 2 }
    $2 == POS {
        b = $5; n = 0
        for (i = 1; i <= length(b); ) {
            c = substr(b, i, 1)
            if (c == "^") { i += 2; continue }
            if (c == "$") { i++; continue }
            if (c == "+" || c == "-") {
                j = i + 1; num = 0
                while (substr(b, j, 1) ~ /[0-9]/) { num = num * 10 + substr(b, j, 1); j++ }
                i = j + num; continue
            }
            n++; sym[n] = c; i++
        }
        nq = split($7, qn, ","); nf = split($8, fl, ",")
        if (nq != n || nf != n || n != $4) { print "PARSE-ERROR"; exit }
        for (k = 1; k <= n; k++) {
            s = toupper(sym[k])
            if (s == "." || s == ",") s = REF
            if (s == REF) rref++; else if (s == ALT) ralt++; else roth++
            q = qn[k]; f = fl[k] + 0
            if (bit(f, 1)) fwd = bit(f, 64) ? !bit(f, 16) : bit(f, 16)
            else fwd = !bit(f, 16)
            if (q in al) { if (al[q] != s) disc[q] = 1 }
            else { al[q] = s; strand[q] = fwd }
        }
    }
    END {
        for (q in al) {
            if (q in disc) { fdisc++; continue }
            if (al[q] == REF) fref++
            else if (al[q] == ALT) { falt++; if (strand[q]) ffwd++; else frev++ }
            else foth++
        }
        printf "%d %d %d %d %d %d %d %d %d %d %d\n", fref + falt + foth, fref, falt, foth, fdisc,
               rref + ralt + roth, rref, ralt, roth, ffwd, frev
    }'
}

# CIGAR-walker route, any variant.  For indels the repeat-equivalence window
# is computed here from the FASTA (CONTIG_SEQ: the whole contig).
walker_counts() { # BAM CHROM POS REF ALT [CONTIG_SEQ]
    samtools view -F 0xF04 "$1" "$2" |
    awk -F '\t' -v P="$3" -v REF="$4" -v ALT="$5" -v SEQ="$6" '
    function bit(f, b) { return int(f / b) % 2 }
    BEGIN {
        lr = length(REF); la = length(ALT)
        if (lr == la) { type = "sub"; lo = P; hi = P + lr - 1 }
        else if (lr > la) {                 # deletion of k bases after P
            type = "indel"; k = lr - 1; sl = P + 1; sr = P + 1
            while (sl - 1 >= 1 && substr(SEQ, sl - 1, 1) == substr(SEQ, sl + k - 1, 1)) sl--
            while (sr + k <= length(SEQ) && substr(SEQ, sr, 1) == substr(SEQ, sr + k, 1)) sr++
            wl = sl; wr = sr + k - 1        # 1-based inclusive window
            aref = substr(SEQ, wl, wr - wl + 1)
            aalt = substr(SEQ, wl + k, wr - wl + 1 - k)
        } else {                            # insertion of I before P+1
            type = "indel"; k = la - 1; I = substr(ALT, 2); xl = P + 1; xr = P + 1
            while (xl - 1 >= 1 && substr(SEQ, xl - 1, 1) == substr(I, k, 1)) {
                I = substr(I, k, 1) substr(I, 1, k - 1); xl--
            }
            I2 = substr(ALT, 2)
            while (xr <= length(SEQ) && substr(SEQ, xr, 1) == substr(I2, 1, 1)) {
                I2 = substr(I2, 2) substr(SEQ, xr, 1); xr++
            }
            wl = xl; wr = xr - 1
            aref = substr(SEQ, wl, wr - wl + 1)
            aalt = I aref
        }
        if (type == "indel") { lo = wl - 1; hi = wr + 1 }
    }
    {
        pos = $4 + 0; cig = $6; seq = $10; f = $2 + 0
        delete qi; delete isdel
        r = pos; q = 1
        while (match(cig, /^[0-9]+[MIDNSHP=X]/)) {
            len = substr(cig, 1, RLENGTH - 1) + 0; op = substr(cig, RLENGTH, 1)
            cig = substr(cig, RLENGTH + 1)
            if (op == "M" || op == "=" || op == "X") {
                for (t = 0; t < len; t++) if (r + t >= lo && r + t <= hi) qi[r + t] = q + t
                r += len; q += len
            } else if (op == "I" || op == "S") q += len
            else if (op == "D" || op == "N") {
                for (t = 0; t < len; t++) isdel[r + t] = 1
                r += len
            }
        }
        rend = r - 1
        if (type == "sub") {
            if (pos > lo || rend < hi) next
            a = ""
            for (t = lo; t <= hi; t++) a = a ((t in qi) ? substr(seq, qi[t], 1) : "-")
            ar = REF; aa = ALT
        } else {
            if (!((lo in qi) && (hi in qi))) next
            a = substr(seq, qi[lo] + 1, qi[hi] - qi[lo] - 1)
            ar = aref; aa = aalt
        }
        if (a == ar) rref++; else if (a == aa) ralt++; else roth++
        if (bit(f, 1)) fwd = bit(f, 64) ? !bit(f, 16) : bit(f, 16)
        else fwd = !bit(f, 16)
        if ($1 in al) { if (al[$1] != a) disc[$1] = 1 }
        else { al[$1] = a; strand[$1] = fwd }
    }
    END {
        for (x in al) {
            if (x in disc) { fdisc++; continue }
            if (al[x] == ar) fref++
            else if (al[x] == aa) { falt++; if (strand[x]) ffwd++; else frev++ }
            else foth++
        }
        printf "%d %d %d %d %d %d %d %d %d %d %d\n", fref + falt + foth, fref, falt, foth, fdisc,
               rref + ralt + roth, rref, ralt, roth, ffwd, frev
    }'
}

# Checks every truth row of PREFIX against the BAM.
check_truth() { # PREFIX [FASTA]
    _fa=$2
    _rows=$(grep -v '^#' "$1.truth.tsv" | tr '\t' ' ')
    if [ -z "$_rows" ]; then fail "$1: empty truth"; return; fi
    echo "$_rows" | while read -r chrom pos ref alt frac rest; do
        [ -n "$frac" ] || continue
        _seq=
        if [ -n "$_fa" ]; then
            _seq=$(samtools faidx "$_fa" "$chrom" | grep -v '^>' | tr -d '\n')
        fi
        _w=$(walker_counts "$1.bam" "$chrom" "$pos" "$ref" "$alt" "$_seq")
        if [ "$_w" = "$rest" ]; then echo "P walker $chrom:$pos $ref>$alt"
        else echo "F walker $chrom:$pos $ref>$alt: truth '$rest', BAM '$_w'"; fi
        if [ ${#ref} -eq 1 ] && [ ${#alt} -eq 1 ]; then
            _m=$(mpileup_counts "$1.bam" "$chrom" "$pos" "$ref" "$alt" "$_fa")
            if [ "$_m" = "$rest" ]; then echo "P mpileup $chrom:$pos $ref>$alt"
            else echo "F mpileup $chrom:$pos $ref>$alt: truth '$rest', mpileup '$_m'"; fi
        fi
    done > "$1.check"
    while read -r st msg; do
        if [ "$st" = P ]; then pass "$(basename "$1"): $msg"; else fail "$(basename "$1"): $msg"; fi
    done < "$1.check"
}

# Valid, sorted, indexed; prints nothing, records pass/fail.
check_bam() { # FILE EXPECTED_READS
    _b=$1
    if samtools quickcheck "$_b"; then pass "$(basename "$_b"): quickcheck"; else fail "$(basename "$_b"): quickcheck"; fi
    check_eq "$(basename "$_b"): sort order in header" "1" \
        "$(samtools view -H "$_b" | grep -c '^@HD.*SO:coordinate')"
    _unsorted=$(samtools view "$_b" | awk -F '\t' '
        $3 != last { if ($3 in seen) { print "contig " $3 " twice"; exit } seen[$3] = 1; last = $3; lp = 0 }
        $4 < lp { print "pos " $3 ":" $4 " after " lp; exit } { lp = $4 }')
    check_eq "$(basename "$_b"): records in coordinate order" "" "$_unsorted"
    _mapped=$(samtools idxstats "$_b" 2>/dev/null | awk '{s += $3} END {print s + 0}')
    check_eq "$(basename "$_b"): idxstats mapped reads" "$2" "$_mapped"
    check_eq "$(basename "$_b"): samtools view -c" "$2" "$(samtools view -c "$_b")"
}

# ---------------------------------------------------------------------------
# Usage and errors
# ---------------------------------------------------------------------------

"$VWSIM" -h > "$WORK/help.txt" 2>&1
check_eq "-h exits 0" 0 $?
if grep -q '^Usage: *vwsim' "$WORK/help.txt"; then pass "-h prints usage"; else fail "-h prints usage"; fi
"$VWSIM" > /dev/null 2>&1
check_eq "no arguments exits 2" 2 $?
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$WORK/x" --bogus > /dev/null 2>&1
check_eq "unknown option exits 2" 2 $?
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$WORK/x" --format bcf > /dev/null 2>&1
check_eq "bad --format exits 2" 2 $?
"$VWSIM" -r "$WORK/does-not-exist.tsv" -o "$WORK/x" > /dev/null 2>&1
check_eq "missing recipe exits 1" 1 $?

# bad_recipe NAME LINE PATTERN CONTENT: the error names file:line and exits 1.
bad_recipe() {
    printf '%s\n' "$4" > "$WORK/bad_$1.tsv"
    "$VWSIM" -r "$WORK/bad_$1.tsv" -o "$WORK/bad_$1" > /dev/null 2> "$WORK/bad_$1.err"
    _rc=$?
    _msg=$(head -n 1 "$WORK/bad_$1.err")
    if [ $_rc -eq 1 ] && [ "$(wc -l < "$WORK/bad_$1.err")" -eq 1 ] &&
       echo "$_msg" | grep -q "^vwsim: $WORK/bad_$1.tsv:$2: .*$3"; then
        pass "bad recipe ($1): $_msg"
    else
        fail "bad recipe ($1): exit $_rc, '$_msg'"
    fi
    for _f in "$WORK/bad_$1".*; do
        case $_f in
            *.tsv | *.err) ;;
            *) fail "bad recipe ($1) left output file $_f" ;;
        esac
    done
}
W12="window	chr12	25398173	25398392"
bad_recipe unknown_key 2 "unknown key" "build	GRCh37
colour	blue
$W12"
bad_recipe window_overlap 4 "overlaps the window on line 3" "build	GRCh37
# comment
$W12
window	chr12	25398300	25398500"
bad_recipe fasta_build 2 "write_fasta" "build	GRCh38
write_fasta	1
$W12"
bad_recipe ref_conflict 4 "conflicts" "build	GRCh37
$W12
refseq	chr12	25398280	ACGTA
variant	chr12	25398284	C	T	0.1"
bad_recipe frac_sum 4 "add up to" "build	GRCh37
$W12
variant	chr12	25398284	C	T	0.6
variant	chr12	25398284	C	A	0.5"
bad_recipe outside 3 "not inside one window" "build	GRCh37
$W12
variant	chr12	25399000	C	T	0.1"
bad_recipe bad_place 3 "place=" "build	GRCh37
$W12
variant	chr12	25398284	CA	C	0.1	place=middle"
bad_recipe unknown_contig 2 "unknown contig" "build	GRCh37
window	chr99	100	400"
bad_recipe different_sites 4 "different site" "build	GRCh37
$W12
variant	chr12	25398284	CG	TA	0.1
variant	chr12	25398285	G	A	0.1"

# ---------------------------------------------------------------------------
# KRAS/EGFR SNVs on GRCh37 (2 windows x 2000 fragments)
# ---------------------------------------------------------------------------

K=$WORK/kras
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$K"
check_eq "kras: exit 0" 0 $?
check_bam "$K.bam" 8000
check_eq "kras: GRCh37 chr1 length in header" "LN:249250621" \
    "$(samtools view -H "$K.bam" | awk '$2 == "SN:chr1" {print $3}')"
check_eq "kras: @RG with SM" "1" "$(samtools view -H "$K.bam" | grep -c '^@RG	ID:S1	SM:S1')"
check_eq "kras: no .fa without write_fasta" "no" "$([ -e "$K.fa" ] && echo yes || echo no)"
check_eq "kras: every read is in a proper pair with RG" "8000" \
    "$(samtools view -f 3 "$K.bam" | grep -c 'RG:Z:S1')"
_left=
for _f in "$WORK"/*.tmp[0-9]*; do [ -e "$_f" ] && _left="$_left $_f"; done
check_eq "kras: no leftover temporary files" "" "$_left"
check_truth "$K"
check_eq "kras: G12D is present" "yes" \
    "$(awk -F '\t' '$4 == "T" && $2 == 25398284 && $8 > 0 {print "yes"}' "$K.truth.tsv")"

# determinism: same seed -> same reads and truth; another seed -> different
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$WORK/kras_again"
if cmp -s "$K.truth.tsv" "$WORK/kras_again.truth.tsv" &&
   [ "$(samtools view "$K.bam" | cksum)" = "$(samtools view "$WORK/kras_again.bam" | cksum)" ]; then
    pass "kras: same seed, same output"
else
    fail "kras: same seed, same output"
fi
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$WORK/kras_seed" --seed 43
if [ "$(samtools view "$K.bam" | cksum)" != "$(samtools view "$WORK/kras_seed.bam" | cksum)" ]; then
    pass "kras: --seed changes the reads"
else
    fail "kras: --seed changes the reads"
fi

# sequencing errors and duplicates (command-line overrides)
E=$WORK/kras_err
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$E" --error-rate 0.01 --dup-rate 0.1 --sample S2
check_eq "kras_err: exit 0" 0 $?
total=$(samtools view -c "$E.bam")
ndup=$(samtools view -c -f 1024 "$E.bam")
check_bam "$E.bam" "$total"
check_eq "kras_err: reads = 2 x 4000 fragments + duplicates" "$((8000 + ndup))" "$total"
if [ "$ndup" -gt 0 ] && [ $((ndup % 2)) -eq 0 ]; then pass "kras_err: $ndup duplicate reads, in pairs"
else fail "kras_err: $ndup duplicate reads"; fi
check_eq "kras_err: --sample overrides" "1" "$(samtools view -H "$E.bam" | grep -c '^@RG	ID:S2	SM:S2')"
nmis=$(awk -F '\t' '!/^#/ {s += $14} END {print s + 0}' "$E.truth.tsv")
if [ "$nmis" -gt 0 ]; then pass "kras_err: errors make 'other' reads ($nmis)"; else fail "kras_err: no 'other' reads"; fi
check_truth "$E"

# single-end
S=$WORK/kras_se
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$S" --single-end --error-rate 0.005
check_eq "kras_se: exit 0" 0 $?
check_bam "$S.bam" 4000
check_eq "kras_se: no paired flags" "0" "$(samtools view -c -f 1 "$S.bam")"
check_truth "$S"

# CRAM and SAM
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$WORK/kras_cram" --format cram -n 500
check_eq "kras_cram: exit 0" 0 $?
if samtools quickcheck "$WORK/kras_cram.cram" && [ -e "$WORK/kras_cram.cram.crai" ]; then
    pass "kras_cram: valid CRAM with .crai"
else
    fail "kras_cram: valid CRAM with .crai"
fi
check_eq "kras_cram: idxstats" 2000 \
    "$(samtools idxstats "$WORK/kras_cram.cram" 2>/dev/null | awk '{s += $3} END {print s + 0}')"
"$VWSIM" -r "$DATA/kras_small.recipe.tsv" -o "$WORK/kras_sam" --format sam -n 500
check_eq "kras_sam: exit 0" 0 $?
check_eq "kras_sam: reads" 2000 "$(samtools view -c "$WORK/kras_sam.sam")"

# ---------------------------------------------------------------------------
# Indels in repeats on a custom contig, with FASTA and duplicates
# ---------------------------------------------------------------------------

R=$WORK/repeat
"$VWSIM" -r "$DATA/repeat_indel.recipe.tsv" -o "$R"
check_eq "repeat: exit 0" 0 $?
total=$(samtools view -c "$R.bam")
ndup=$(samtools view -c -f 1024 "$R.bam")
check_bam "$R.bam" "$total"
check_eq "repeat: reads = 2 x 4000 fragments + duplicates" "$((8000 + ndup))" "$total"
if [ "$ndup" -gt 0 ]; then pass "repeat: $ndup duplicate reads"; else fail "repeat: no duplicates"; fi
check_eq "repeat: duplicates are named dup:*" "$ndup" "$(samtools view -f 1024 "$R.bam" | grep -c '^dup:')"
if [ -e "$R.fa.fai" ] && samtools faidx "$R.fa" sim1:1-10 > /dev/null 2>&1; then
    pass "repeat: FASTA indexed"
else
    fail "repeat: FASTA indexed"
fi
check_eq "repeat: refseq forced" "GGTCACACACAGG" "$(samtools faidx "$R.fa" sim1:401-413 | tail -n 1)"
check_eq "repeat: variant REF forced" "G" "$(samtools faidx "$R.fa" sim1:250-250 | tail -n 1)"
# place=right: every deletion in the CA repeat starts at 410 (the last placement)
dels=$(samtools view "$R.bam" sim1:300-500 | awk -F '\t' '{
    c = $6; r = $4
    while (match(c, /^[0-9]+[MID]/)) {
        l = substr(c, 1, RLENGTH - 1) + 0; o = substr(c, RLENGTH, 1); c = substr(c, RLENGTH + 1)
        if (o == "D") print r "D" l
        if (o != "I") r += l
    }}' | sort | uniq -c | awk '{print $2}' | tr '\n' ' ')
check_eq "repeat: deletion placed at the right end of the repeat" "410D2 " "$dels"
ins=$(samtools view "$R.bam" sim1:1200-1400 | awk -F '\t' '{
    c = $6; r = $4
    while (match(c, /^[0-9]+[MID]/)) {
        l = substr(c, 1, RLENGTH - 1) + 0; o = substr(c, RLENGTH, 1); c = substr(c, RLENGTH + 1)
        if (o == "I") print r "I" l
        if (o != "I") r += l
    }}' | sort | uniq -c | awk '{print $2}' | tr '\n' ' ')
check_eq "repeat: insertion placed at the left end of the homopolymer" "1304I1 " "$ins"
check_truth "$R" "$R.fa"

# the same recipe with errors: mates may disagree (discordant fragments)
RE=$WORK/repeat_err
"$VWSIM" -r "$DATA/repeat_indel.recipe.tsv" -o "$RE" --error-rate 0.02
check_eq "repeat_err: exit 0" 0 $?
check_truth "$RE" "$RE.fa"
ndisc=$(awk -F '\t' '!/^#/ {s += $10} END {print s + 0}' "$RE.truth.tsv")
if [ "$ndisc" -gt 0 ]; then pass "repeat_err: discordant fragments ($ndisc)"; else fail "repeat_err: no discordant fragments"; fi

# ---------------------------------------------------------------------------
# Corner cases: short window, reads longer than fragments, indels at read ends
# ---------------------------------------------------------------------------

X=$WORK/edge
"$VWSIM" -r "$DATA/edge_cases.recipe.tsv" -o "$X"
check_eq "edge: exit 0" 0 $?
check_bam "$X.bam" 60000
check_eq "edge: fragments clamped to a 60-bp window" "60" \
    "$(samtools view -f 64 "$X.bam" e1:101-160 | awk '{t = $9 < 0 ? -$9 : $9; if (t > m) m = t} END {print m}')"
n_end_ins=$(samtools view "$X.bam" | awk -F '\t' '$6 ~ /^[0-9]+I/ || $6 ~ /I$/' | wc -l)
if [ "$n_end_ins" -gt 0 ]; then pass "edge: reads ending inside an insertion ($n_end_ins)"
else fail "edge: no read ends inside an insertion"; fi
check_eq "edge: no read starts or ends with D" "0" \
    "$(samtools view "$X.bam" | awk -F '\t' '$6 ~ /^[0-9]+D/ || $6 ~ /D$/' | wc -l | tr -d ' ')"
check_eq "edge: repeat past the window end informs no read" "0 0" \
    "$(awk -F '\t' '$2 == 692 {print $6, $11}' "$X.truth.tsv")"
check_truth "$X" "$X.fa"

XS=$WORK/edge_se
"$VWSIM" -r "$DATA/edge_cases.recipe.tsv" -o "$XS" --single-end --error-rate 0.01 --format cram
check_eq "edge_se: exit 0" 0 $?
check_eq "edge_se: CRAM reads" 30000 "$(samtools view -c "$XS.cram")"
samtools view -b -o "$XS.bam" "$XS.cram" && samtools index "$XS.bam"
check_truth "$XS" "$XS.fa"

# naming nochr on GRCh38; recipe contig names with or without "chr"
printf '%s\n' "build	GRCh38" "naming	nochr" "fragments	100" \
    "window	chr12	25245200	25245500" "window	MT	1000	1400" \
    "variant	12	25245350	C	T	0.5" > "$WORK/nochr.tsv"
N=$WORK/nochr
"$VWSIM" -r "$WORK/nochr.tsv" -o "$N"
check_eq "nochr: exit 0" 0 $?
check_eq "nochr: GRCh38 12 and MT in header" "SN:12 LN:133275309|SN:MT LN:16569|" \
    "$(samtools view -H "$N.bam" | awk '$2 == "SN:12" || $2 == "SN:MT" {printf "%s %s|", $2, $3}')"
check_eq "nochr: truth names the contig as the header does" "12" "$(awk '!/^#/ {print $1}' "$N.truth.tsv")"
check_bam "$N.bam" 400
check_truth "$N"

# no variants at all: wild-type reads and a header-only truth
printf '%s\n' "build	GRCh37" "fragments	50" "window	chr17	7577000	7577400" > "$WORK/wt.tsv"
"$VWSIM" -r "$WORK/wt.tsv" -o "$WORK/wt" -@ 2
check_eq "wt: exit 0" 0 $?
check_bam "$WORK/wt.bam" 100
check_eq "wt: truth is only the header" "1" "$(wc -l < "$WORK/wt.truth.tsv" | tr -d ' ')"

# copy number: each window's reads in the BAM equal 2 x its truth fragments, and
# pCN = 2 + TF x (CN - 2) (ERBB2 CN 10 at TF 0.2: 3.6)
C=$WORK/cnv
"$VWSIM" -r "$DATA/cnv_tumour.recipe.tsv" -o "$C"
check_eq "cnv: exit 0" 0 $?
check_eq "cnv: ERBB2 pCN 3.6" "3.6" "$(awk -F '\t' '$1 == "chr17" {print $7}' "$C.cn_truth.tsv")"
_bad=$(grep -v '^#' "$C.cn_truth.tsv" | while read -r chrom st en len cn tf pcn ex n; do
    _r=$(samtools view -c "$C.bam" "$chrom:$st-$en")
    [ "$_r" -eq $((2 * n)) ] || echo "$chrom:$st-$en $_r != 2 x $n"
done)
check_eq "cnv: reads per window = 2 x truth fragments" "" "$_bad"
printf '%s\n' "build	GRCh37" "fragments	10" "window	chr12	25398173	25398392" \
    "copy_number	chr12	25398300	25398500	4" > "$WORK/bad_cut.tsv"
"$VWSIM" -r "$WORK/bad_cut.tsv" -o "$WORK/bad_cut" > /dev/null 2> "$WORK/bad_cut.err"
check_eq "cnv: segment cutting a window exits 1" "1" "$?"
check_eq "kras: no cn_truth without copy-number keys" "no" "$([ -e "$K.cn_truth.tsv" ] && echo yes || echo no)"

echo "$n_pass passed, $n_fail failed"
[ "$n_fail" -eq 0 ]
