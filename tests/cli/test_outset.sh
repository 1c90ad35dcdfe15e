#!/usr/bin/env bash
# The outputs of 'vafwatch run' (and 'report -d') are one set: written into a
# staging directory and put in place at the end, with a manifest written
# last.  A run that fails late (here: a file-size limit makes the report
# fail after every table is made) leaves the previous set untouched; a second writer into the directory is refused while the
# lock is held; files of the previous set that this run no longer makes
# (the pages of a patient dropped from the sheet, the model when there are
# no normals any more) are removed; files no manifest names are never
# touched.  Inputs: small evidence VCFs.
# Usage: test_outset.sh VAFWATCH WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
VW=$1 W=$2
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1
vcf() { # vcf FILE REF_COUNT ALT_COUNT
    printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="d">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tX\nsim1\t1000\t.\tC\tT\t.\tPASS\t.\tAD:DP\t%s,%s:%s\n' \
        "$2" "$3" $(($2 + $3)) >"$1"
}
printf 'chrom\tpos\tref\talt\tid\nsim1\t1000\tC\tT\tT1\n' >t.tsv
for i in 1 2 3 4 5 6; do vcf v$i.vcf $((1000 + i)) $((i * 3)); done
printf 'patient\tsample\tdate\tfile\ttype\nP1\tS1\t2023-01-05\tv1.vcf\tplasma\nP1\tS2\t2023-03-01\tv2.vcf\tplasma\nP2\tS3\t2023-01-05\tv3.vcf\tplasma\nP2\tS4\t2023-03-01\tv4.vcf\tplasma\nN\tN1\t2023-01-01\tv5.vcf\tnormal\nN\tN2\t2023-01-01\tv6.vcf\tnormal\n' >two.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\tv1.vcf\nP1\tS2\t2023-03-01\tv2.vcf\n' >one.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tx\nP2\t2023-01-01\ttreatment_start\tx\n' >events.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tx\n' >events_one.tsv
run() { "$VW" run --no-builtin -T t.tsv -d out "$@" 2>err.txt; }

run -e events.tsv two.tsv || { cat err.txt; ko "first run"; }
if [ -s out/vafwatch.model.tsv ] && [ -s out/report/patients/P2.html ] && grep -qx 'report/patients/P2.html' out/vafwatch.manifest.tsv \
    && [ -z "$(ls -A out | grep staging)" ]; then
    ok "first run: model, P2's page, a manifest naming them, no staging left"
else
    ls -la out; ko "first run outputs"
fi
cp -r out before
# a late failure: every table is made (with new numbers: an input changed), then the report cannot
# be written (a file-size limit of 8 KiB, below the size of a patient page; SIGXFSZ ignored)
vcf v1.vcf 1001 300
if (trap '' XFSZ; ulimit -f 8; run -e events.tsv two.tsv); then
    ko "a run over the file-size limit succeeded"
elif diff -r --exclude=counts before out >/dev/null && [ -z "$(ls -A out | grep staging)" ]; then
    ok "a run failing in the report leaves the previous outputs untouched ($(head -c 80 err.txt))"
else
    diff -rq --exclude=counts before out; ko "a failed run changed the outputs"
fi
# a second writer while the lock is held
if command -v flock >/dev/null; then
    flock out/.vafwatch.lock sleep 3 &
    sleep 0.5
    if run -e events_one.tsv one.tsv; then
        ko "a second run while the directory is locked was accepted"
    elif grep -q "another vafwatch is writing into this directory" err.txt && diff -r --exclude=counts before out >/dev/null; then
        ok "a second writer is refused while the lock is held, nothing changed"
    else
        cat err.txt; ko "locked directory"
    fi
    wait
else
    echo "skip: no flock command"
fi
# P2 and the normals dropped: their pages and the model go
run -e events_one.tsv one.tsv || { cat err.txt; ko "run on one patient"; }
if [ ! -e out/report/patients/P2.html ] && [ ! -e out/report/patients/P2.json ] && [ ! -e out/vafwatch.model.tsv ] \
    && [ -s out/report/patients/P1.html ] && ! grep -q P2 out/vafwatch.manifest.tsv; then
    ok "outputs the run no longer makes are removed (P2's pages, the model)"
else
    ls -R out | head -30; ko "stale outputs left"
fi
# files that are not in any manifest are never removed
echo keep >out/notes.txt
run -e events_one.tsv one.tsv || ko "re-run"
[ -s out/notes.txt ] && ok "a file of the user's in the directory is left alone" || ko "a user's file was removed"
# report -d: the same set semantics
"$VW" report --sheet two.tsv -e events.tsv -d rep out/vafwatch.calls.tsv 2>err.txt || { cat err.txt; ko "report"; }
[ -s rep/index.html ] && [ -s rep/vafwatch.manifest.tsv ] && [ -z "$(ls -A rep | grep staging)" ] \
    && ok "report -d writes its set and a manifest" || { ls -la rep; ko "report set"; }
finish
