#!/usr/bin/env bash
# vwsim's Illumina read styles (recipe key read_style), checked with samtools:
#  - the BAM passes samtools quickcheck; every read carries NM, MD, MC (paired),
#    AS, XS and RG, its RG names the header's one @RG line (PL:ILLUMINA);
#  - MD and NM equal what samtools calmd computes from the reads and the FASTA
#    (the tags removed first), indels and duplicates included;
#  - read names are instrument:run:flowcell:lane:tile:x:y, both mates of a
#    pair share theirs, a duplicate has a name of its own;
#  - qualities fall over the last cycles (in sequencing order) and the binned
#    style writes only 2, 12, 23, 37;
#  - errors follow the qualities: in a window without variants the
#    mismatches (from MD) total sum(10^(-q/10)) over the bases, within 4
#    Poisson standard deviations (a closed form);
#  - the truth file's read counts at the SNV equal samtools mpileup's;
#  - read_style plain (the default) writes the same records and truth as no
#    key at all (the @PG command line names the recipe, so it differs).
# Usage: test_vwsim_illumina.sh VWSIM WORKDIR        (exit 77 without samtools)
set -u
VWSIM=$1 W=$2
command -v samtools >/dev/null 2>&1 || { echo "samtools not found: skipping"; exit 77; }
export LC_ALL=C
rm -rf "$W"
mkdir -p "$W" || exit 1
cd "$W" || exit 1
fail=0
ok() { echo "ok   - $1"; }
bad() { echo "FAIL - $1"; fail=1; }

recipe() { # STYLE
    printf 'seed\t7\nsample\tILL\nbuild\tcustom\ncontig\tc1\t5000\nread_length\t100\nfragments\t3000\n'
    printf 'dup_rate\t0.05\nwrite_fasta\t1\n'
    [ -n "$1" ] && printf 'read_style\t%s\n' "$1"
    printf 'window\tc1\t1001\t1400\nwindow\tc1\t3001\t3400\n'
    printf 'refseq\tc1\t1150\tA\nvariant\tc1\t1150\tA\tG\t0.2\n'
    printf 'refseq\tc1\t1200\tACG\nvariant\tc1\t1200\tACG\tA\t0.1\n'
    printf 'refseq\tc1\t1250\tT\nvariant\tc1\t1250\tT\tTCA\t0.1\n'
}
recipe illumina >ill.tsv
recipe illumina_binned >bin.tsv
recipe plain >plain.tsv
recipe "" >none.tsv
for s in ill bin plain none; do
    "$VWSIM" -r $s.tsv -o $s >/dev/null || { echo "FAIL - vwsim failed on $s.tsv"; exit 1; }
done

samtools quickcheck ill.bam bin.bam && ok "quickcheck" || bad "quickcheck"

# tags present on every read; RG = the header's @RG
samtools view ill.bam | awk -F'\t' '
    { t = ""; for (i = 12; i <= NF; i++) t = t " " substr($i, 1, 2)
      if (t !~ / NM/ || t !~ / MD/ || t !~ / AS/ || t !~ / XS/ || t !~ / RG:?/ || (int($2 / 1) % 2 && t !~ / MC/)) m++
      for (i = 12; i <= NF; i++) if ($i ~ /^RG:Z:/ && $i != "RG:Z:ILL") rg++ }
    END { print NR, m + 0, rg + 0 }' >tags.txt
read -r n miss rgbad <tags.txt
[ "$n" -gt 10000 ] && [ "$miss" = 0 ] && [ "$rgbad" = 0 ] && ok "tags NM MD MC AS XS RG on all $n reads" \
    || bad "tags: $n reads, $miss without a tag, $rgbad with another RG"
hrg=$(samtools view -H ill.bam | grep -c $'^@RG\tID:ILL\tSM:ILL\t.*PL:ILLUMINA')
[ "$hrg" = 1 ] && ok "one @RG line, PL:ILLUMINA" || bad "@RG lines: $hrg"

# MD/NM against samtools calmd
for s in ill bin; do
    samtools view $s.bam | awk -F'\t' '{ md = nm = ""; for (i = 12; i <= NF; i++) { if ($i ~ /^MD:/) md = $i; if ($i ~ /^NM:/) nm = $i }
                                        print $1, $2, $4, md, nm }' >$s.tags.ours
    samtools view -b -x MD -x NM $s.bam | samtools calmd - $s.fa 2>/dev/null | samtools view |
        awk -F'\t' '{ md = nm = ""; for (i = 12; i <= NF; i++) { if ($i ~ /^MD:/) md = $i; if ($i ~ /^NM:/) nm = $i }
                      print $1, $2, $4, md, nm }' >$s.tags.calmd
    nd=$(grep -c 'MD:Z:[0-9]*[ACGT^]' $s.tags.ours)
    if cmp -s $s.tags.ours $s.tags.calmd && [ "$nd" -gt 1000 ]; then ok "$s: MD and NM equal samtools calmd ($nd reads with a difference)"
    else bad "$s: MD/NM differ from samtools calmd (or too few differences: $nd)"; fi
done
samtools view ill.bam | awk '$6 ~ /[ID]/' | head -1 | grep -q . && ok "indels present" || bad "no read with an indel"

# names: Illumina pattern; mates share, duplicates differ
samtools view ill.bam | awk -F'\t' '
    $1 !~ /^[A-Z0-9]+:[0-9]+:[A-Z0-9]+:[1-4]:[12][12][0-9][0-9]:[0-9]+:[0-9]+$/ { badname++ }
    { c[$1]++; if (int($2 / 1024) % 2) dup++ }
    END { for (k in c) if (c[k] != 2) odd++; print badname + 0, odd + 0, dup + 0 }' >names.txt
read -r badname odd dup <names.txt
[ "$badname" = 0 ] && [ "$odd" = 0 ] && [ "$dup" -gt 100 ] && ok "names: Illumina pattern, two reads each ($dup duplicate reads)" \
    || bad "names: $badname malformed, $odd not in pairs, $dup duplicates"

# qualities: per-cycle means (sequencing order); binned values
samtools view ill.bam | awk -F'\t' 'BEGIN { for (i = 33; i < 127; i++) ord[sprintf("%c", i)] = i - 33 }
    length($11) == 100 { rev = int($2 / 16) % 2
        for (i = 1; i <= 100; i++) { c = rev ? 101 - i : i; s[c] += ord[substr($11, i, 1)]; k[c]++ } }
    END { for (c = 1; c <= 100; c++) { if (c <= 3) a += s[c] / k[c] / 3; else if (c > 40 && c <= 60) m += s[c] / k[c] / 20
                                      else if (c > 95) z += s[c] / k[c] / 5 }
          printf "%.2f %.2f %.2f\n", a, m, z }' >cyc.txt
read -r first mid last <cyc.txt
awk -v a="$first" -v m="$mid" -v z="$last" 'BEGIN { exit !(a < m - 3 && z < m - 3 && m > 35) }' \
    && ok "qualities: cycles 1-3 $first, 41-60 $mid, 96-100 $last" || bad "quality profile $first $mid $last"
vals=$(samtools view bin.bam | cut -f11 | fold -w1 | sort -u | tr -d '\n')
case $vals in
    "#-8F" | "#8F") ok "binned qualities: only 2 12 23 37 ($vals)" ;;
    *) bad "binned qualities: '$vals'" ;;
esac

# errors follow the qualities: window 2 (no variant), reads without indels
for s in ill bin; do
    samtools view $s.bam c1:3001-3400 | awk -F'\t' 'BEGIN { for (i = 33; i < 127; i++) ord[sprintf("%c", i)] = i - 33 }
        $4 >= 3001 && $6 ~ /^[0-9]+M$/ && int($2 / 1024) % 2 == 0 {
            for (i = 1; i <= length($11); i++) e += 10 ^ (-ord[substr($11, i, 1)] / 10)
            for (i = 12; i <= NF; i++) if ($i ~ /^NM:i:/) o += substr($i, 6) }
        END { d = o - e; if (d < 0) d = -d; printf "%d %.1f %d\n", o, e, d <= 4 * sqrt(e) }' >err.txt
    read -r o e good <err.txt
    [ "$good" = 1 ] && awk -v e="$e" 'BEGIN { exit !(e > 100) }' && ok "$s: $o mismatches, expected $e from the qualities" \
        || bad "$s: $o mismatches, expected $e from the qualities"
done

# truth read counts at the SNV (c1:1150 A>G) against samtools mpileup
samtools mpileup -f ill.fa -B -x -A -d 0 -Q 0 -q 0 --ff UNMAP,SECONDARY,QCFAIL,DUP -r c1:1150-1150 ill.bam 2>/dev/null |
    awk -F'\t' '{ b = toupper($5); gsub(/\^./, "", b); gsub(/\$/, "", b); r = gsub(/[.,]/, "", b); a = gsub(/G/, "", b); print r, a }' >mp.txt
read -r mr ma <mp.txt
tr=$(awk -F'\t' '$2 == 1150 { print $12, $13 }' ill.truth.tsv)
[ "$tr" = "$mr $ma" ] && ok "truth read_ref read_alt at c1:1150 = mpileup ($tr)" || bad "truth '$tr', mpileup '$mr $ma'"

# the default style is unchanged by the key
cmp -s <(samtools view plain.bam) <(samtools view none.bam) && cmp -s plain.truth.tsv none.truth.tsv \
    && cmp -s <(samtools view -H plain.bam | grep -v '^@PG') <(samtools view -H none.bam | grep -v '^@PG') \
    && ok "read_style plain = no key (records, header but the command line, truth)" || bad "read_style plain differs from the default"
"$VWSIM" -r <(recipe nosuch) -o x >/dev/null 2>err.txt
rc=$?
[ $rc = 1 ] && grep -q "read_style must be plain, illumina or illumina_binned" err.txt && ok "bad read_style refused" \
    || bad "bad read_style: exit $rc, $(cat err.txt)"
exit $fail
