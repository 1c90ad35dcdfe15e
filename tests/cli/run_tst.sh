#!/usr/bin/env bash
# Runs an error-contract table (tests/cli/errors.tst) against the binary.
#
#   run_tst.sh TABLE VAFWATCH VWPARSE [WORKDIR]
#
# Each row of TABLE is tab-separated:  EXIT  NEEDS  STDERR_REGEX  COMMAND
#   EXIT    the exit code wanted (0, 1 or 2)
#   NEEDS   '-' or a comma list of conditions: 'nonroot' (skipped as root,
#           who can read a chmod 000 file) or 'root' (mknod)
#   REGEX   an extended regex stderr must match ('-' for none)
#   COMMAND run by bash after placeholder substitution:
#           {VW} the vafwatch binary, {PARSE} the vwparse test driver,
#           {F} the fixture directory, {O} an empty output directory
#           (fresh for every row)
# Blank lines and lines starting with '#' are skipped.
#
# Besides the exit code and the message, every row asserts the contract of
# docs/reliability.md: no crash (exit < 128, no sanitizer report); for exit 1,
# at most 2 lines on stderr and nothing left in {O}; the fixtures are
# unchanged (checksums before and after).  Fixtures are generated here, in
# a temporary directory.  The last line is 'N passed, N failed'.
set -u
TABLE=$1 VW=$2 PARSE=$3
# VW_WRAP: a command put before the binaries (tests/valgrind.sh sets valgrind)
WRAP=${VW_WRAP:+$VW_WRAP }
WORK=${4:-}
if [ -n "$WORK" ]; then rm -rf "$WORK"; mkdir -p "$WORK"; T=$WORK; else T=$(mktemp -d); trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT; fi
F=$T/fix
mkdir -p "$F"
# CRAM must never look for a reference on the network or in a cache.
export REF_PATH="$F/no-such-ref-dir/%s" REF_CACHE="$F/no-such-ref-dir/%s"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# The fixtures are written by tests/tools/vwfix (htslib; built beside vwparse),
# not samtools: the table needs no samtools.
FIX=${VWFIX:-$(dirname "$PARSE")/vwfix}
[ -x "$FIX" ] || { echo "fixture writer $FIX not found"; exit 1; }
command -v python3 >/dev/null || { echo "python3 not found"; exit 77; }

# --- fixtures -------------------------------------------------------------------
python3 - "$F" <<'PY' || { echo "fixture generation failed"; exit 1; }
import random, sys, os
F = sys.argv[1]
rng = random.Random(7)
L = 2000
seq = ''.join(rng.choice('ACGT') for _ in range(L))
with open(F + '/ref.fa', 'w') as f:
    f.write('>sim1\n')
    for i in range(0, L, 60):
        f.write(seq[i:i + 60] + '\n')
hdr = '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:%d\n@RG\tID:rg1\tSM:s1\n' % L
open(F + '/hdr.sam', 'w').write(hdr)
# read pairs over the whole contig; position 1000 (1-based) carries an alt in 1 of 5 fragments
site = 999
alt = {'A': 'C', 'C': 'G', 'G': 'T', 'T': 'A'}[seq[site]]
recs = []
for i in range(3000):
    b = rng.randrange(0, L - 300)
    flen = rng.randrange(150, 300)
    e = b + flen - 100
    mut = (i % 5 == 0)
    def s(p):
        r = list(seq[p:p + 100])
        if mut and p <= site < p + 100:
            r[site - p] = alt
        return ''.join(r)
    n = 'f%05d' % i
    recs.append((b, '%s\t99\tsim1\t%d\t60\t100M\t=\t%d\t%d\t%s\t%s\tRG:Z:rg1' % (n, b + 1, e + 1, flen, s(b), 'I' * 100)))
    recs.append((e, '%s\t147\tsim1\t%d\t60\t100M\t=\t%d\t%d\t%s\t%s\tRG:Z:rg1' % (n, e + 1, b + 1, -flen, s(e), 'I' * 100)))
recs.sort(key=lambda x: x[0])
open(F + '/good.sam', 'w').write(hdr + ''.join(r + '\n' for _, r in recs))
# unsorted: the same records, two swapped far apart
u = [r for _, r in recs]
u[10], u[-10] = u[-10], u[10]
open(F + '/unsorted.sam', 'w').write(hdr + ''.join(r + '\n' for r in u))
# a record with a bad CIGAR (longer than the sequence)
bad = recs[5][1].split('\t'); bad[5] = '150M'
open(F + '/badcigar.sam', 'w').write(hdr + recs[0][1] + '\n' + '\t'.join(bad) + '\n')
# targets
ref1 = seq[site]
open(F + '/t.tsv', 'w').write('chrom\tpos\tref\talt\tid\nsim1\t%d\t%s\t%s\tT1\nsim1\t%d\t%s\t%s\tT2\n'
                               % (site + 1, ref1, alt, 501, seq[500], alt if alt != seq[500] else 'N'))
open(F + '/site.txt', 'w').write('%d %s %s\n' % (site + 1, ref1, alt))
PY
read -r SITE REF1 ALT1 <"$F/site.txt"
(
cd "$F" || exit 1
"$FIX" faidx ref.fa
"$FIX" view -b -o good.bam good.sam && "$FIX" index good.bam
"$FIX" view -b -o empty.bam hdr.sam && "$FIX" index empty.bam
cp good.bam noidx.bam
"$FIX" view -b -o unsorted.bam unsorted.sam
# CRAM against a reference that is then removed (its M5 is not in any cache)
mkdir -p gone && cp ref.fa gone/r.fa && "$FIX" view -C -T gone/r.fa -o good.cram good.sam \
    && "$FIX" index good.cram && rm -rf gone
sz=$(stat -c %s good.bam)
head -c $((sz / 2)) good.bam >trunc.bam && cp good.bam.bai trunc.bam.bai
head -c $((sz - 28)) good.bam >noeof.bam   # no BGZF EOF marker: data complete, but nothing says so
# cut at a BGZF block boundary halfway (what a killed writer leaves), indexed as it is
python3 - good.bam cut.bam <<'PY'
import sys, struct
d = open(sys.argv[1], 'rb').read()
offs, off = [], 0
while off < len(d):
    offs.append(off)
    off += struct.unpack('<H', d[off + 16:off + 18])[0] + 1
open(sys.argv[2], 'wb').write(d[:offs[len(offs) // 2]])
PY
"$FIX" index cut.bam 2>/dev/null
# read groups: a '#' sample name; two samples in one file
sed 's/SM:s1/SM:#s1/' good.sam | "$FIX" view -b -o hashsm.bam - && "$FIX" index hashsm.bam
sed 's/^@RG\tID:rg1\tSM:s1$/@RG\tID:rg1\tSM:s1\n@RG\tID:rg2\tSM:s2/' good.sam | "$FIX" view -b -o rg2.bam - && "$FIX" index rg2.bam
# the same reads on a contig named chrsim1 (the 'chr' naming of sim1)
sed 's/\tsim1\t/\tchrsim1\t/; s/SN:sim1/SN:chrsim1/' good.sam | "$FIX" view -b -o chrgood.bam - && "$FIX" index chrgood.bam
# copy-number regions (a gene and a reference region)
printf 'sim1\t100\t900\tG1\nsim1\t1000\t1900\tref\n' >cnv.bed
# an index older than its BAM (the BAM rewritten after indexing)
cp good.bam stale.bam && cp good.bam.bai stale.bam.bai && touch -d '2001-01-01' stale.bam.bai
# the index of another file: the same records compressed differently
"$FIX" view -b -1 -o other.bam good.sam && cp good.bam.bai other.bam.bai
# corrupt: flip bytes inside the compressed data of the second BGZF block
python3 - good.bam corrupt.bam <<'PY'
import sys, struct
d = bytearray(open(sys.argv[1], 'rb').read())
bsize = struct.unpack('<H', d[16:18])[0] + 1       # first block
off = bsize + 18 + 200                               # inside block 2
for k in range(off, off + 16):
    d[k] ^= 0xA5
open(sys.argv[2], 'wb').write(bytes(d))
PY
cp good.bam.bai corrupt.bam.bai
printf 'hello, I am not a BAM\n' >junk.bam
: >zero.bam
# a header-only BAM of GRCh37 (chr1, chr7, chr12 lengths)
printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:1\tLN:249250621\n@SQ\tSN:7\tLN:159138663\n@SQ\tSN:12\tLN:133851895\n' \
    | "$FIX" view -b -o hdr37.bam - && "$FIX" index hdr37.bam
gzip -c good.sam >gzip.bam   # gzip, not BGZF
# --- targets files -----------------------------------------------------------
t=$'\t'
printf 'chrom\tpos\tref\nsim1\t%s\t%s\n' "$SITE" "$REF1" >tgt_nocol.tsv
printf 'chrom\tpos\tref\talt\r\nsim1\t%s\t%s\t%s\r\n' "$SITE" "$REF1" "$ALT1" >tgt_crlf.tsv
printf '\xef\xbb\xbfchrom\tpos\tref\talt\nsim1\t%s\t%s\t%s\n' "$SITE" "$REF1" "$ALT1" >tgt_bom.tsv
printf 'chrom\tpos\tref\talt\nsim1\t12x\tA\tC\n' >tgt_badpos.tsv
printf 'chrom\tpos\tref\talt\nsim1\t0\tA\tC\n' >tgt_pos0.tsv
printf 'chrom\tpos\tref\talt\nsim1\t-5\tA\tC\n' >tgt_negpos.tsv
printf 'chrom\tpos\tref\talt\nsim1\t99999999999999999999\tA\tC\n' >tgt_hugepos.tsv
printf 'chrom\tpos\tref\talt\nsim1\t%s\t%s\t%s\n' "$SITE" "$REF1" "$REF1" >tgt_refalt.tsv
printf 'chrom\tpos\tref\talt\nsim1\t%s\tX\tZ\n' "$SITE" >tgt_nondna.tsv
printf 'chrom\tpos\tref\talt\nsim1\t%s\n' "$SITE" >tgt_short.tsv
printf 'chrom\tpos\tref\talt\n' >tgt_hdronly.tsv
: >tgt_empty.tsv
printf 'chrom\tpos\tref\talt\nsim1\t5000\tA\tC\n' >tgt_beyond.tsv
printf 'chrom\tpos\tref\talt\nchrQ\t5\tA\tC\n' >tgt_chrq.tsv
printf 'chrom\tpos\tref\talt\nsim1\t%s\t%s\t%s\n' "$SITE" "$ALT1" "$REF1" >tgt_refmismatch.tsv
printf 'sim1\t998\t1001\n' >tgt.bed
printf 'sim1\t1001\t998\n' >tgt_backwards.bed
printf 'sim1\tabc\t1001\n' >tgt_badnum.bed
printf 'chrQ\t10\t20\n' >tgt_chrq.bed
printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\t%s\tv1\t%s\t%s\t.\t.\t.\n' "$SITE" "$REF1" "$ALT1" >tgt.vcf
printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\tnotanumber\tv1\t%s\t%s\t.\t.\t.\n' "$REF1" "$ALT1" >tgt_badpos.vcf
printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\t%s\n' "$SITE" >tgt_short.vcf
printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\t%s\tv1\tQQ\t%s\t.\t.\t.\n' "$SITE" "$ALT1" >tgt_nondna.vcf
printf 'not a vcf at all\n' >tgt_junk.vcf
printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\t333333333333333333333333\tv1\tA\tC\t.\t.\t.\n' >tgt_hugepos.vcf
# --- evidence VCFs ---------------------------------------------------------------
H='##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description="d">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">\n##FORMAT=<ID=AF,Number=A,Type=Float,Description="d">\n##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n'
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t80,20:100\n' "$SITE" "$REF1" "$ALT1" >ev_good.vcf
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tGT\t0/1\n' "$SITE" "$REF1" "$ALT1" >ev_noad.vcf
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t80,20:-100\n' "$SITE" "$REF1" "$ALT1" >ev_negdp.vcf
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t-80,20:100\n' "$SITE" "$REF1" "$ALT1" >ev_negad.vcf
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tAF:DP\t1.5:100\n' "$SITE" "$REF1" "$ALT1" >ev_af.vcf
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tAF:DP\tnan:100\n' "$SITE" "$REF1" "$ALT1" >ev_afnan.vcf
printf "$H"'sim1\t%s\t.\t%s\n' "$SITE" "$REF1" >ev_short.vcf
printf "$H"'sim1\tx%s\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t80,20:100\n' "$SITE" "$REF1" "$ALT1" >ev_badpos.vcf
printf "$H"'chrZ\t%s\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t80,20:100\n' "$SITE" "$REF1" "$ALT1" >ev_undef.vcf
printf '##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\t%s\t.\t%s\t%s\t.\tPASS\t.\n' "$SITE" "$REF1" "$ALT1" >ev_sites.vcf
printf "$H"'sim1\t%s\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t80,20:100,7\n' "$SITE" "$REF1" "$ALT1" >ev_extra.vcf
printf "$H"'sim1\t333333333333333333333333\t.\t%s\t%s\t.\tPASS\t.\tAD:DP\t80,20:100\n' "$REF1" "$ALT1" >ev_hugepos.vcf
bgzip -c ev_good.vcf >ev_good.vcf.gz
sz=$(stat -c %s ev_good.vcf.gz); head -c $((sz / 2)) ev_good.vcf.gz >ev_trunc.vcf.gz
bcftools view -Ob -o ev_good.bcf ev_good.vcf 2>/dev/null
sz=$(stat -c %s ev_good.bcf); head -c $((sz - 40)) ev_good.bcf >ev_trunc.bcf
printf 'junk\n' | gzip -c >ev_junk.vcf.gz
# --- evidence tables (the format 'count' writes) ----------------------------------------
EH='#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq\tref_median_fraglen\talt_median_fraglen\n'
printf "$EH"'S1\tsim1\t%s\t%s\t%s\tT1\t.\t.\t.\t100\t80\t20\t0\t0\t40\t40\t10\t10\t37.5\t60.0\t160\t150\n' "$SITE" "$REF1" "$ALT1" >evt_good.tsv
printf "$EH"'S1\tsim1\t%s\t%s\t%s\tT1\t.\t.\t.\t100\t80\t20\t0\t0\t40\t40\t10\t10\t1e300\t60.0\t160\t150\n' "$SITE" "$REF1" "$ALT1" >evt_bq.tsv
printf "$EH"'S1\tsim1\t%s\t%s\t%s\tT1\t.\t.\t.\t100\t80\t20\t0\t0\t40\t40\t10\t10\t37.5\tinf\t160\t150\n' "$SITE" "$REF1" "$ALT1" >evt_mq.tsv
# --- cohort sheets, events, calls ----------------------------------------------------
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\tgood.bam\nP1\tS2\t2023-03-01\tgood.bam\n' >sheet.tsv
printf 'patient\tsample\tfile\nP1\tS1\tgood.bam\n' >sheet_nocol.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-02-30\tgood.bam\n' >sheet_baddate.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\tgood.bam\nP2\tS1\t2023-01-06\tgood.bam\n' >sheet_dup.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\n' >sheet_short.tsv
printf 'patient\tsample\tdate\tfile\n' >sheet_hdronly.tsv
printf 'patient\tsample\tdate\tfile\ttype\nP1\tS1\t2023-01-05\tgood.bam\tblood\n' >sheet_type.tsv
printf 'patient\tsample\tdate\tfile\tcfdna_ng_per_ml\nP1\tS1\t2023-01-05\tgood.bam\t-3\n' >sheet_cfdna.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\tnothere.bam\n' >sheet_nofile.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\trg2.bam\n' >sheet_rg2.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\tgood.bam\nP1\tS2\t2023-03-01\tchrgood.bam\n' >sheet_mixed.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\tcut.bam\nP1\tS2\t2023-02-01\tnoeof.bam\nP1\tS3\t2023-03-01\ttrunc.bam\nP1\tS4\t2023-04-01\tcorrupt.bam\nP1\tS5\t2023-05-01\tstale.bam\n' >sheet_bad5.tsv
printf 'patient\tsample\tdate\tfile\nP1\t#S1\t2023-01-05\tgood.bam\n' >sheet_hash.tsv
printf 'patient\tsample\tdate\tfile\nP1\tS\001\t2023-01-05\tgood.bam\n' >sheet_ctrl.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tcetuximab\nP1\t2023-06-01\tscan\tPD\n' >events.tsv
printf 'patient\tdate\tevent\tdetail\nP9\t2023-01-01\ttreatment_start\tcetuximab\n' >events_patient.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\tlunch\t\n' >events_unknown.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\t\nP1\t2023-06-01\tscan\tXX\n' >events_resp.tsv
printf 'patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_stop\tcetuximab\n' >events_stop.tsv
printf 'patient\tdate\tevent\nP1\t2023/01/01\ttreatment_start\n' >events_baddate.tsv
)
# calls tables: a valid one written by the library's own writer is not
# available without a subcommand, so the header is spelled out here.
CH=$'#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count\tdiscordant\talt_fwd\talt_rev\tvaf\tvaf_lo\tvaf_hi\tp_value\tq_value\tdetected\tlod95\tflags\tbackground\tbg_error\tcopies_per_ml'
printf 'wrong\theader\n' >"$F/calls_hdr.tsv"
printf '%s\nS1\tsim1\t10\n' "$CH" >"$F/calls_short.tsv"
printf '%s\n' "$CH" >"$F/calls_empty.tsv"
: >"$F/calls_zero.tsv"
CR=$'S1\tsim1\t10\tA\tC\tT1\tG\tp.X\tc.X\t100\t80\t20\t0\t0\t10\t10\t0.2\t0.1\t0.3\t0.001\t0.01\tyes\t0.05\t.\tpon\t0.001\tNA'
printf '%s\n%s\n' "$CH" "$CR" >"$F/calls_good.tsv"
printf '%s\n%s\r\n' "$CH" "$CR" >"$F/calls_crlf.tsv"
# a p-value below DBL_MIN (150 of 5,000 against 1e-4), as call writes it
printf '%s\n%s\n' "$CH" "${CR/$'\t0.001\t0.01\t'/$'\t7.9e-310\t1.1e-309\t'}" >"$F/calls_subnormal.tsv"
printf '%s\n%s\n' "$CH" "${CR/pon/martian}" >"$F/calls_bg.tsv"
printf '%s\n%s\n' "$CH" "${CR/$'\t100\t80'/$'\t1x0\t80'}" >"$F/calls_depth.tsv"
printf '%s\n%s\n' "$CH" "${CR/$'\t.\tpon'/$'\tweird_flag\tpon'}" >"$F/calls_flag.tsv"

# --- rows -------------------------------------------------------------------------
checksum() { (cd "$F" && find . -type f -print0 | sort -z | xargs -0 md5sum; find . | sort) | md5sum; }
pass=0 fail=0 skip=0 n=0
is_root=0; [ "$(id -u)" -eq 0 ] && is_root=1
# As root, the 'nonroot' rows run as the unprivileged user 65534 (nobody)
# through setpriv, so that permission errors really happen.
drop=""
if [ "$is_root" -eq 1 ] && command -v setpriv >/dev/null; then
    chmod a+rx "$T" "$F"
    chmod -R a+r "$F"
    # only when that user can reach the binary and the fixtures (every parent directory)
    if setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'test -x "$1" && test -r "$2"' _ "$VW" "$F/good.bam" 2>/dev/null; then
        drop="setpriv --reuid=65534 --regid=65534 --clear-groups"
    fi
fi
while IFS= read -r line || [ -n "$line" ]; do
    case $line in ''|'#'*) continue ;; esac
    IFS=$'\t' read -r want needs re cmd <<<"$line"
    n=$((n + 1))
    run_as=""
    if [[ ,$needs, == *,nonroot,* ]] && [ "$is_root" -eq 1 ]; then
        if [ -z "$drop" ]; then
            echo "skip $n (root can read anything, and setpriv cannot drop it): $cmd"; skip=$((skip + 1)); continue
        fi
        run_as=$drop
    fi
    if [[ ,$needs, == *,root,* ]] && [ "$is_root" -eq 0 ]; then
        echo "skip $n (needs root): $cmd"; skip=$((skip + 1)); continue
    fi
    O=$T/out$n
    rm -rf "$O"; mkdir -p "$O"
    [ -n "$run_as" ] && chmod 777 "$O"
    c=${cmd//\{VW\}/$WRAP$VW}; c=${c//\{PARSE\}/$WRAP$PARSE}; c=${c//\{F\}/$F}; c=${c//\{O\}/$O}
    before=$(checksum)
    $run_as bash -c "$c" >"$T/stdout" 2>"$T/stderr"
    got=$?
    after=$(checksum)
    why=""
    if [ "$got" -ge 128 ]; then why="crashed (exit $got)"
    elif grep -Eq 'Sanitizer|runtime error:|^==[0-9]+== ' "$T/stderr"; then why="sanitizer or valgrind report"
    elif [ "$got" -ne "$want" ]; then why="exit $got, want $want"
    elif [ "$re" != "-" ] && ! grep -Eq -- "$re" "$T/stderr"; then why="stderr lacks /$re/"
    elif [ "$want" -eq 1 ] && [ "$(wc -l <"$T/stderr")" -gt 2 ]; then why="more than 2 lines on stderr"
    elif [ "$want" -ne 0 ] && [ -n "$(ls -A "$O")" ]; then why="left files in the output location: $(ls -A "$O" | tr '\n' ' ')"
    elif [ "$before" != "$after" ]; then why="changed the input fixtures"
    fi
    if [ -z "$why" ]; then
        echo "ok   $n: $cmd"; pass=$((pass + 1))
    else
        echo "FAIL $n ($why): $cmd"; sed 's/^/    /' "$T/stderr" | head -8; fail=$((fail + 1))
    fi
    chmod -R u+rwx "$O" 2>/dev/null; rm -rf "$O"
done <"$TABLE"
[ "$skip" -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
