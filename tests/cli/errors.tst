# The error contract, one row per bad input (docs/reliability.md).
# Columns (tab-separated): EXIT  NEEDS  STDERR_REGEX  COMMAND
# Placeholders: {VW} vafwatch, {PARSE} tests/tools/vwparse, {F} fixtures, {O} output dir.
# Run by tests/cli/run_tst.sh, which also checks: no crash, <= 2 stderr lines
# for exit 1, nothing left in {O} after a failure, fixtures unchanged.

# --- baseline: the fixtures are good ---------------------------------------------
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/good.bam
0	-	-	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/good.sam
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -f {F}/ref.fa -o {O}/x.tsv {F}/good.cram
# --- alignment files ---------------------------------------------------------------
1	-	trunc\.bam: (truncated or corrupt|the BGZF end-of-file marker is missing)	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/trunc.bam
1	-	trunc\.bam: (truncated or corrupt|the BGZF end-of-file marker is missing)	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/trunc.bam
1	-	trunc\.bam: (truncated or corrupt|the BGZF end-of-file marker is missing)	{VW} count --no-builtin -T {F}/t.tsv --stream -t 2 -o {O}/x.tsv {F}/trunc.bam
1	-	-: (truncated or corrupt BAM/CRAM after [0-9]+ records|the BGZF end-of-file marker is missing)	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv - < {F}/trunc.bam
1	-	-: (truncated or corrupt BAM/CRAM after [0-9]+ records|the BGZF end-of-file marker is missing)	{VW} count -t 2 --no-builtin -T {F}/t.tsv -o {O}/x.tsv - < {F}/trunc.bam
1	-	corrupt\.bam: truncated or corrupt	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/corrupt.bam
1	-	corrupt\.bam: truncated or corrupt	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/corrupt.bam
1	-	corrupt\.bam: truncated or corrupt	{VW} count --no-builtin -T {F}/t.tsv --stream -t 2 -o {O}/x.tsv {F}/corrupt.bam
# no end-of-file marker: the file is cut short (at a block boundary nothing else tells), or its
# last 28 bytes are lost; refused through the index, streaming, from a pipe, and in the copy-number pass
1	-	noeof\.bam: the BGZF end-of-file marker is missing	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/noeof.bam
1	-	cut\.bam: the BGZF end-of-file marker is missing	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/cut.bam
1	-	cut\.bam: the BGZF end-of-file marker is missing	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/cut.bam
1	-	cut\.bam: the BGZF end-of-file marker is missing	{VW} count --no-builtin -T {F}/t.tsv --stream -t 4 -o {O}/x.tsv {F}/cut.bam
1	-	-: the BGZF end-of-file marker is missing after [0-9]+ records	cat {F}/cut.bam | {VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv -
1	-	-: the BGZF end-of-file marker is missing after [0-9]+ records	cat {F}/cut.bam | {VW} count -t 4 --no-builtin -T {F}/t.tsv -o {O}/x.tsv -
0	-	-	cat {F}/good.bam | {VW} count -t 4 --no-builtin -T {F}/t.tsv -o {O}/x.tsv -
1	-	cut\.bam: the BGZF end-of-file marker is missing	{VW} cnv -b {F}/cnv.bed --build GRCh38 --output-prefix {O}/c {F}/cut.bam
0	-	-	{VW} cnv -b {F}/cnv.bed --build GRCh38 --output-prefix {O}/c {F}/good.bam
# cnv's regions are -b/--bed: --regions is no alias of it (count, call and model read --regions as
# their --regions-file, which keeps only the targets in a BED)
2	-	unrecognized option '--regions'	{VW} cnv --regions {F}/cnv.bed --build GRCh38 --output-prefix {O}/c {F}/good.bam
# an index older than its file is refused; the index of another file is named as a suspect
1	-	stale\.bam: the index .*stale\.bam\.bai is older than the file	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/stale.bam
0	-	-	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/stale.bam
1	-	other\.bam: truncated or corrupt, or its index belongs to another file	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/other.bam
1	-	noidx\.bam: no index .*--stream	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/noidx.bam
0	-	-	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/noidx.bam
# run --stream counts without the index; the self background still reads through it (--no-self: none needed)
1	-	noidx\.bam: no index \(\.bai/\.csi/\.crai\) found; run 'samtools index [^']*noidx\.bam'$	printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\t{F}/noidx.bam\n' > {O}/../noidx_sheet.tsv && {VW} run --stream --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {O}/../noidx_sheet.tsv; r=$?; rm -rf {O}/r; exit $r
0	-	-	printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\t{F}/noidx.bam\n' > {O}/../noidx_sheet.tsv && {VW} run --stream --no-self --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/../noidx_run {O}/../noidx_sheet.tsv && test "$(grep -v '^#' {O}/../noidx_run/vafwatch.calls.tsv | cut -f1 | sort -u)" = S1
1	-	good\.cram: cannot decode CRAM record .*reference	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/good.cram
1	-	good\.cram: cannot decode CRAM record .*reference	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/good.cram
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/empty.bam
1	-	unsorted\.sam: not sorted by coordinate \(record [0-9]+	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/unsorted.sam
1	-	unsorted\.bam: not sorted by coordinate \(record [0-9]+	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/unsorted.bam
1	-	unsorted\.bam: not sorted by coordinate \(record [0-9]+	{VW} count --no-builtin -T {F}/t.tsv --stream -t 2 -o {O}/x.tsv {F}/unsorted.bam
1	-	badcigar\.sam: record 2 is not a valid SAM line	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/badcigar.sam
1	-	junk\.bam: (not a BAM|no valid header)	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/junk.bam
1	-	zero\.bam: (not a BAM|no valid header)	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/zero.bam
# htslib reads gzip-compressed SAM (not BGZF) as a stream: accepted
0	-	-	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}/gzip.bam
1	-	nothere\.bam: cannot open	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/nothere.bam
1	-	fix: (not a BAM|cannot open|.*directory)	{VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {F}
1	nonroot	unread\.bam: cannot open	cp {F}/good.bam {O}/unread.bam && chmod 000 {O}/unread.bam && {VW} count --no-builtin -T {F}/t.tsv --stream -o {O}/x.tsv {O}/unread.bam; r=$?; rm -f {O}/unread.bam; exit $r
1	-	hdr37\.bam: the header is GRCh37 .* targets are GRCh38	{VW} count --build GRCh38 -o {O}/x.tsv {F}/hdr37.bam
1	-	hdr37\.bam: contig '15' of target MAP2K1_.* not in the header	{VW} count --build GRCh37 -o {O}/x.tsv {F}/hdr37.bam
1	-	good\.bam: contig 'chrQ' of target .* not in the header	{VW} count --no-builtin -T {F}/tgt_chrq.tsv -o {O}/x.tsv {F}/good.bam
1	-	good\.bam: target .* beyond the end of contig 'sim1'	{VW} count --no-builtin -T {F}/tgt_beyond.tsv -o {O}/x.tsv {F}/good.bam
1	-	good\.bam: cannot tell the genome build	{VW} count -o {O}/x.tsv {F}/good.bam
# --- sample names: unique, and readable back by every table reader -------------------------
1	-	good\.bam: sample 's1' is also given by .*good\.bam	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/good.bam {F}/good.bam
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -s a,b -o {O}/x.tsv {F}/good.bam {F}/good.bam
1	-	ev_good\.vcf\.gz: sample 'S1' is also given by .*ev_good\.vcf	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_good.vcf {F}/ev_good.vcf.gz
1	-	ev_good\.vcf\.gz: sample 'S1' is also given by	{VW} call --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/ev_good.vcf {F}/ev_good.vcf.gz
1	-	hashsm\.bam: sample name '#s1' begins with '#'	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/hashsm.bam
1	-	good\.bam: sample name '#x' begins with '#'	{VW} count --no-builtin -T {F}/t.tsv -s '#x' -o {O}/x.tsv {F}/good.bam
1	-	good\.bam: sample name holds a control character \(byte 0x01	{VW} count --no-builtin -T {F}/t.tsv -s "$(printf 'a\001')" -o {O}/x.tsv {F}/good.bam
1	-	sheet_hash\.tsv:2: sample name '#S1' begins with '#'	{VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_hash.tsv; r=$?; rm -rf {O}/r; exit $r
1	-	sheet_ctrl\.tsv:2: sample name holds a control character	{VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_ctrl.tsv; r=$?; rm -rf {O}/r; exit $r
# read groups naming two samples: count warns and uses the first; run (one sample per sheet row) refuses
0	-	rg2\.bam: read groups name several samples	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/rg2.bam
1	-	rg2\.bam: read groups name several samples .*one file per sample	{VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_rg2.tsv; r=$?; rm -rf {O}/r; exit $r
# --- contig naming: 'sim1' and 'chrsim1' inputs in one cohort give one naming (the targets'), one
# VCF record per target holding both draws, not two records of one draw each
0	-	-	{VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv && test "$(grep -v '^#' {O}/r/vafwatch.calls.tsv | cut -f2 | sort -u)" = sim1 && test "$(gzip -dc {O}/r/vafwatch.calls.vcf.gz | grep -vc '^#')" = 2 && test "$(gzip -dc {O}/r/vafwatch.calls.vcf.gz | grep '^#CHROM' | cut -f10-)" = "S1	S2"; r=$?; rm -rf {O}/r; exit $r
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -s a,b -o {O}/x.tsv {F}/good.bam {F}/chrgood.bam && {VW} call --output-prefix {O}/p {O}/x.tsv && test "$(grep -v '^#' {O}/p.vafwatch.calls.tsv | cut -f2 | sort -u)" = sim1 && test "$(grep -vc '^#' {O}/p.vafwatch.calls.tsv)" = 4
# several bad draws: stop at the first (one line, not one per draw; the harness allows 2 for exit 1)
1	-	cut\.bam: the BGZF end-of-file marker is missing	{VW} count -t 1 --no-builtin -T {F}/t.tsv -s a,b,c,d,e -o {O}/x.tsv {F}/cut.bam {F}/noeof.bam {F}/trunc.bam {F}/corrupt.bam {F}/stale.bam
1	-	cut\.bam: the BGZF end-of-file marker is missing	{VW} run -t 1 --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_bad5.tsv; r=$?; rm -rf {O}/r; exit $r
1	-	the BGZF end-of-file marker is missing	{VW} run -t 2 --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_bad5.tsv; r=$?; rm -rf {O}/r; exit $r
# the pending-mate table bounded at one read: its temporary files cannot be made
1	-	good\.bam: cannot create a temporary file for waiting mates in .*/absent	TMPDIR={O}/absent {VW} count --no-builtin -T {F}/t.tsv --mate-buffer 1 -o {O}/x.tsv {F}/good.bam
# --- pipes and standard input: every input is opened once --------------------------------------
# the build told by the header on standard input; a missing file is 'No such file', not a build problem
1	-	-: contig '15' of target MAP2K1_.* not in the header	{VW} count -o {O}/x.tsv - < {F}/hdr37.bam
1	-	nothere\.bam: cannot open: No such file or directory	{VW} count -o {O}/x.tsv {F}/nothere.bam
1	-	nothere\.bam: cannot open: No such file or directory	{VW} call --output-prefix {O}/p {F}/nothere.bam
# a FIFO, a process substitution, standard input: the same table as the file
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -s s1 --stream -o {O}/../want.tsv {F}/good.bam && mkfifo {O}/../f.bam && { cat {F}/good.bam > {O}/../f.bam & } && {VW} count --no-builtin -T {F}/t.tsv -s s1 --stream -o {O}/../fifo.tsv {O}/../f.bam && cmp {O}/../want.tsv {O}/../fifo.tsv && {VW} count --no-builtin -T {F}/t.tsv -s s1 --stream -o {O}/../ps.tsv <(cat {F}/good.bam) && cmp {O}/../want.tsv {O}/../ps.tsv && {VW} count --no-builtin -T {F}/t.tsv -s s1 -o {O}/../in.tsv - < {F}/good.bam && cmp {O}/../want.tsv {O}/../in.tsv
0	-	-	{VW} call --no-builtin -T {F}/t.tsv --stream --output-prefix {O}/../c_file {F}/good.bam && {VW} call --no-builtin -T {F}/t.tsv --stream --output-prefix {O}/../c_ps <(cat {F}/good.bam) && cmp {O}/../c_file.vafwatch.calls.tsv {O}/../c_ps.vafwatch.calls.tsv
# a FIFO in the cohort sheet (counted once, never cached), beside a regular file
0	-	-	mkfifo {O}/../g.bam && { cat {F}/good.bam > {O}/../g.bam & } && printf 'patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\t{F}/good.bam\nP1\tS2\t2023-03-01\t{O}/../g.bam\n' > {O}/../fifo_sheet.tsv && {VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/../fifo_run {O}/../fifo_sheet.tsv && test "$(grep -v '^#' {O}/../fifo_run/vafwatch.calls.tsv | cut -f1 | sort -u | tr '\n' ' ')" = "S1 S2 " && test -z "$(ls {O}/../fifo_run/counts | grep S2)"
# --- output locations ----------------------------------------------------------------
1	-	no/such/dir/x\.tsv: cannot write	{VW} count --no-builtin -T {F}/t.tsv -o {O}/no/such/dir/x.tsv {F}/good.bam
1	-	t\.tsv/x\.tsv: cannot write	{VW} count --no-builtin -T {F}/t.tsv -o {F}/t.tsv/x.tsv {F}/good.bam
1	nonroot	ro/x\.tsv: cannot write	mkdir {O}/ro && chmod 555 {O}/ro && {VW} count --no-builtin -T {F}/t.tsv -o {O}/ro/x.tsv {F}/good.bam; r=$?; rmdir {O}/ro; exit $r
1	-	nodir/x\.json: cannot write	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv --json {O}/nodir/x.json {F}/good.bam
1	-	-: write failed: No space left	{VW} count --no-builtin -T {F}/t.tsv -o - {F}/good.bam > /dev/full
# --- targets TSV ------------------------------------------------------------------------
# --no-builtin leaves no target unless -T gives some (run: or the sheet's 'targets' column): a usage error
2	-	^vafwatch catalogue: --no-builtin needs --targets$	{VW} catalogue --no-builtin -o {O}/c.tsv
2	-	^vafwatch count: --no-builtin needs --targets$	{VW} count --no-builtin -o {O}/x.tsv {F}/good.bam
2	-	^vafwatch model: --no-builtin needs --targets$	{VW} model build --no-builtin -o {O}/m.tsv {F}/good.bam {F}/good.bam
2	-	^vafwatch call: --no-builtin needs --targets$	{VW} call --no-builtin --output-prefix {O}/p {F}/good.bam
2	-	^vafwatch run: --no-builtin needs --targets or a 'targets' column in the cohort sheet$	{VW} run --no-builtin -e {F}/events.tsv -d {O}/r {F}/sheet.tsv; r=$?; test -e {O}/r && r=9; rm -rf {O}/r; exit $r
1	-	tgt_nocol\.tsv:1: header lacks column 'alt'	{VW} count --no-builtin -T {F}/tgt_nocol.tsv -o {O}/x.tsv {F}/good.bam
0	-	-	{VW} count --no-builtin -T {F}/tgt_crlf.tsv -o {O}/x.tsv {F}/good.bam
0	-	-	{VW} count --no-builtin -T {F}/tgt_bom.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_badpos\.tsv:2: column 'pos'	{VW} count --no-builtin -T {F}/tgt_badpos.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_pos0\.tsv:2: column 'pos'	{VW} count --no-builtin -T {F}/tgt_pos0.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_negpos\.tsv:2: column 'pos'	{VW} count --no-builtin -T {F}/tgt_negpos.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_hugepos\.tsv:2: column 'pos'	{VW} count --no-builtin -T {F}/tgt_hugepos.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_refalt\.tsv:2: ref and alt are the same	{VW} count --no-builtin -T {F}/tgt_refalt.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_nondna\.tsv:2: columns 'ref'/'alt'.*not DNA	{VW} count --no-builtin -T {F}/tgt_nondna.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_short\.tsv:2: 2 fields	{VW} count --no-builtin -T {F}/tgt_short.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_empty\.tsv: the targets file is empty	{VW} count --no-builtin -T {F}/tgt_empty.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_hdronly\.tsv: no targets: the file has a header but no data rows	{VW} count --no-builtin -T {F}/tgt_hdronly.tsv -o {O}/x.tsv {F}/good.bam
1	-	tgt_refmismatch\.tsv|do not match the reference	{VW} count --no-builtin -T {F}/tgt_refmismatch.tsv -f {F}/ref.fa -o {O}/x.tsv {F}/good.bam
1	-	fix: cannot open( targets file)?: Is a directory	{VW} count --no-builtin -T {F} -o {O}/x.tsv {F}/good.bam
1	-	nothere\.tsv: cannot open	{VW} count --no-builtin -T {F}/nothere.tsv -o {O}/x.tsv {F}/good.bam
# --- targets BED ------------------------------------------------------------------------
1	-	tgt\.bed: BED targets need --reference	{VW} count --no-builtin -T {F}/tgt.bed -o {O}/x.tsv {F}/good.bam
0	-	-	{VW} count --no-builtin -T {F}/tgt.bed -f {F}/ref.fa -o {O}/x.tsv {F}/good.bam
1	-	tgt_backwards\.bed:1: expected	{VW} count --no-builtin -T {F}/tgt_backwards.bed -f {F}/ref.fa -o {O}/x.tsv {F}/good.bam
1	-	tgt_badnum\.bed:1: expected	{VW} count --no-builtin -T {F}/tgt_badnum.bed -f {F}/ref.fa -o {O}/x.tsv {F}/good.bam
1	-	tgt_chrq\.bed:1: region .* not in the reference	{VW} count --no-builtin -T {F}/tgt_chrq.bed -f {F}/ref.fa -o {O}/x.tsv {F}/good.bam
1	-	nothere\.fa: cannot load the reference	{VW} count --no-builtin -T {F}/tgt.bed -f {F}/nothere.fa -o {O}/x.tsv {F}/good.bam
# --- targets VCF ------------------------------------------------------------------------
0	-	-	{VW} count --no-builtin -T {F}/tgt.vcf -o {O}/x.tsv {F}/good.bam
1	-	tgt_badpos\.vcf: record 1	{VW} count --no-builtin -T {F}/tgt_badpos.vcf -o {O}/x.tsv {F}/good.bam
1	-	tgt_short\.vcf: record 1	{VW} count --no-builtin -T {F}/tgt_short.vcf -o {O}/x.tsv {F}/good.bam
1	-	tgt_nondna\.vcf: record 1 .*not a DNA	{VW} count --no-builtin -T {F}/tgt_nondna.vcf -o {O}/x.tsv {F}/good.bam
1	-	tgt_hugepos\.vcf: record 1: malformed	{VW} count --no-builtin -T {F}/tgt_hugepos.vcf -o {O}/x.tsv {F}/good.bam
1	-	tgt_junk\.vcf: 	{VW} count --no-builtin -T {F}/tgt_junk.vcf -o {O}/x.tsv {F}/good.bam
# --- evidence VCF/BCF (vcfin) -------------------------------------------------------------
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_good.vcf
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_good.vcf.gz
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_good.bcf
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_noad.vcf
1	-	ev_negdp\.vcf: record 1 \(sim1:[0-9]+\): .*DP	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_negdp.vcf
1	-	ev_negad\.vcf: record 1 \(sim1:[0-9]+\): .*AD	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_negad.vcf
1	-	ev_af\.vcf: record 1 \(sim1:[0-9]+\): .*AF	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_af.vcf
1	-	ev_afnan\.vcf: record 1 .*AF	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_afnan.vcf
1	-	ev_short\.vcf: record 1 \(sim1:[0-9]+\): no FORMAT column	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_short.vcf
1	-	ev_badpos\.vcf: record 1	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_badpos.vcf
# a contig missing from the ##contig lines: htslib warns, the record matches no target
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_undef.vcf
# found by fuzz_vcfin: an overflowing POS made the error message itself overflow (UBSan)
1	-	ev_hugepos\.vcf: record 1 \(sim1, POS out of range\)	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_hugepos.vcf
1	-	ev_sites\.vcf: no sample columns	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_sites.vcf
# DP given twice (Number=1): htslib keeps both, the first is used
0	-	-	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_extra.vcf
1	-	ev_trunc\.vcf\.gz: no valid VCF header	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_trunc.vcf.gz
1	-	ev_trunc\.bcf: (no valid VCF header|record 1 .*truncated)	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_trunc.bcf
1	-	ev_junk\.vcf\.gz: (not a VCF|no valid VCF header)	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv {F}/ev_junk.vcf.gz
1	-	ev_good\.vcf: no sample column named 'S9'	{VW} count --no-builtin -T {F}/t.tsv -s S9 -o {O}/x.tsv {F}/ev_good.vcf
# --- evidence tables (written by count, read by call and model) -------------------------------
0	-	-	{VW} call --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/evt_good.tsv
# the therapy-relevance map (docs/calling.md): an unknown therapy is a usage error, a bad map a data error
2	-	--therapy: 'nodrug' is neither a class nor a drug	{VW} call --no-builtin -T {F}/t.tsv --therapy nodrug --output-prefix {O}/p {F}/evt_good.tsv
1	-	tm\.tsv:2: column 'kind': unknown kind 'pathway'	printf 'class\tkind\tvalue\nx\tpathway\tMAPK\n' > {O}/tm.tsv && {VW} call --no-builtin -T {F}/t.tsv --therapy-map {O}/tm.tsv --therapy x --output-prefix {O}/p {F}/evt_good.tsv; r=$?; rm -f {O}/tm.tsv; exit $r
1	-	tm\.tsv:2: column 'value': invalid value 'p\.T790M' \(GENE:p\.CHANGE\)	printf 'class\tkind\tvalue\nx\tprotein\tp.T790M\n' > {O}/tm.tsv && {VW} call --no-builtin -T {F}/t.tsv --therapy-map {O}/tm.tsv --therapy x --output-prefix {O}/p {F}/evt_good.tsv; r=$?; rm -f {O}/tm.tsv; exit $r
0	-	-	printf 'class\tkind\tvalue\nx\tgene\tKRAS\n' > {O}/tm.tsv && {VW} call --no-builtin -T {F}/t.tsv --therapy-map {O}/tm.tsv --therapy x --output-prefix {O}/p {F}/evt_good.tsv; r=$?; rm -f {O}/tm.tsv; exit $r
2	-	--class takes an evidence class \(fragment, read, molecule, molecule_fN, duplex, duplex_fN\), not 'duplx'	{VW} call --class duplx --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/evt_good.tsv
2	-	--class takes an evidence class .*not 'molecule_f1'	{VW} call --class molecule_f1 --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/evt_good.tsv
2	-	--class takes an evidence class \(fragment, read, molecule, molecule_fN, duplex, duplex_fN\), not 'duplx'	{VW} run --class duplx --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv
2	-	--class chooses the background of a model of several evidence classes: give it with --model	{VW} run --class duplex --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv
# the reports' date (report and run): a malformed --report-date is a usage error before anything is read
2	-	^vafwatch report: --report-date: '2024-13-01' is not a date \(YYYY-MM-DD\)$	{VW} report --report-date 2024-13-01 --sheet {F}/sheet.tsv -e {F}/events.tsv -d {O}/rep {F}/calls_short.tsv
2	-	^vafwatch run: --report-date: '2024-02-30' is not a date \(YYYY-MM-DD\)$	{VW} run --report-date 2024-02-30 --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv
2	-	^vafwatch run: SOURCE_DATE_EPOCH='-1' is not a number of seconds since 1970 \(or use --report-date\)$	env SOURCE_DATE_EPOCH=-1 {VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv
1	-	m2\.tsv: the model has no background of evidence class fragment \(sample S1\); it holds: duplex \(count the sample in one of them, or choose one with --class\)	printf '##vafwatch_model=1\n#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\tclass\nsim1\t1000\tT\tA\tT1\t3\t3000\t3\t0.001\t0.0001\tno\tduplex\n' > {O}/m2.tsv && {VW} run -m {O}/m2.tsv --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv; r=$?; rm -rf {O}/r {O}/m2.tsv; exit $r
0	-	-	printf '##vafwatch_model=1\n#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\tclass\nsim1\t1000\tT\tA\tT1\t3\t3000\t3\t0.001\t0.0001\tno\tduplex\n' > {O}/m2.tsv && {VW} run -m {O}/m2.tsv --class duplex --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {F}/sheet_mixed.tsv 2>{O}/e && grep -q 'sample S1 holds fragment counts; --class duplex takes the background of another class' {O}/e && test "$(grep -v '^#' {O}/r/vafwatch.calls.tsv | cut -f29 | sort -u)" = duplex; r=$?; rm -rf {O}/r {O}/m2.tsv {O}/e; exit $r
# found by review: a mean quality of 1e300 or inf was converted to an integer (undefined behaviour)
1	-	evt_bq\.tsv:2: column 'alt_mean_bq': invalid value '1e300'	{VW} call --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/evt_bq.tsv
1	-	evt_mq\.tsv:2: column 'alt_mean_mq': invalid value 'inf'	{VW} call --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/evt_mq.tsv
# --- cohort sheet and events (through tests/tools/vwparse until a subcommand reads them) ---
0	-	-	{PARSE} sheet {F}/sheet.tsv {F}/events.tsv
1	-	sheet_nocol\.tsv:1: .*date	{PARSE} sheet {F}/sheet_nocol.tsv
1	-	sheet_baddate\.tsv:2: column 'date'	{PARSE} sheet {F}/sheet_baddate.tsv
1	-	sheet_dup\.tsv:3: .*S1	{PARSE} sheet {F}/sheet_dup.tsv
1	-	sheet_short\.tsv:2: 	{PARSE} sheet {F}/sheet_short.tsv
1	-	sheet_hdronly\.tsv: no samples	{PARSE} sheet {F}/sheet_hdronly.tsv
1	-	sheet_type\.tsv:2: column 'type'	{PARSE} sheet {F}/sheet_type.tsv
1	-	sheet_cfdna\.tsv:2: column 'cfdna_ng_per_ml'	{PARSE} sheet {F}/sheet_cfdna.tsv
1	-	fix: cannot open cohort sheet: Is a directory	{PARSE} sheet {F}
1	-	nothere\.tsv	{PARSE} sheet {F}/nothere.tsv
1	-	events_patient\.tsv:2: .*P9	{PARSE} sheet {F}/sheet.tsv {F}/events_patient.tsv
1	-	events_unknown\.tsv:2: column 'event'	{PARSE} sheet {F}/sheet.tsv {F}/events_unknown.tsv
1	-	events_resp\.tsv:3: .*XX	{PARSE} sheet {F}/sheet.tsv {F}/events_resp.tsv
1	-	events_stop\.tsv:2: 	{PARSE} sheet {F}/sheet.tsv {F}/events_stop.tsv
1	-	events_baddate\.tsv:2: column 'date'	{PARSE} sheet {F}/sheet.tsv {F}/events_baddate.tsv
# --- calls table (call_io) ------------------------------------------------------------------
0	-	-	{PARSE} calls {F}/calls_good.tsv
0	-	-	{PARSE} calls {F}/calls_crlf.tsv
# a subnormal p-value written by call is read back by every reader (it was refused)
0	-	-	{PARSE} calls {F}/calls_subnormal.tsv && grep -q 7.9e-310 {F}/calls_subnormal.tsv
0	-	-	{VW} track --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/x {F}/calls_subnormal.tsv && {VW} leadtime --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/y {F}/calls_subnormal.tsv
2	-	--ch-patients takes a whole number from 0 \(off\) up, not '-1'	{VW} track --ch-patients -1 --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/x {F}/calls_good.tsv
2	-	--ch-max-vaf takes a fraction in \(0, 1\], not '0'	{VW} run --ch-max-vaf 0 --no-builtin -T {F}/t.tsv -d {O}/r {F}/sheet.tsv
1	-	calls_hdr\.tsv:1: column 'sample': required column missing	{PARSE} calls {F}/calls_hdr.tsv
1	-	calls_short\.tsv:2: expected 27 tab-separated fields as in the header, found 3	{PARSE} calls {F}/calls_short.tsv
# a header and no rows is a valid, empty table
0	-	-	{PARSE} calls {F}/calls_empty.tsv
1	-	calls_bg\.tsv:2: column 'background'	{PARSE} calls {F}/calls_bg.tsv
1	-	calls_depth\.tsv:2: column 'depth'	{PARSE} calls {F}/calls_depth.tsv
1	-	calls_flag\.tsv:2: column 'flags'	{PARSE} calls {F}/calls_flag.tsv
# --- usage errors (exit 2) --------------------------------------------------------------------
2	-	-	{VW} count --no-builtin -T {F}/t.tsv -t 0 -o {O}/x.tsv {F}/good.bam
2	-	standard input.*once	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv - -
2	-	--mate-buffer takes an integer from 0	{VW} count --no-builtin -T {F}/t.tsv --mate-buffer -1 -o {O}/x.tsv {F}/good.bam
1	-	calls_zero\.tsv: the calls table is empty	{PARSE} calls {F}/calls_zero.tsv
# --- outputs never replace what is already there ----------------------------------------------
2	-	good\.bam: the output would overwrite an input file	{VW} count --no-builtin -T {F}/t.tsv -o {F}/good.bam {F}/good.bam
2	-	t\.tsv: the output would overwrite an input file	{VW} count --no-builtin -T {F}/t.tsv --json {F}/t.tsv -o {O}/x.tsv {F}/good.bam
2	-	ref\.fa: the output would overwrite an input file	{VW} count --no-builtin -T {F}/t.tsv -f {F}/ref.fa -o {F}/ref.fa {F}/good.bam
2	-	--genome-bin-size takes	{VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r --genome-bin-size 5 {F}/sheet_mixed.tsv
2	-	--genome-min-llr takes a number	{VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r --genome-min-llr x {F}/sheet_mixed.tsv
2	-	same file	{VW} count --no-builtin -T {F}/t.tsv --json {O}/x.tsv -o {O}/x.tsv {F}/good.bam
0	-	-	mkfifo {O}/p && { cat {O}/p > {O}/../fifo.out & } && {VW} count --no-builtin -T {F}/t.tsv -o {O}/p {F}/good.bam && wait && test -p {O}/p && rm {O}/p && test -s {O}/../fifo.out
0	root	-	mknod -m 666 {O}/null c 1 3 && {VW} count --no-builtin -T {F}/t.tsv -o {O}/null --json {O}/null {F}/good.bam; r=$?; test -c {O}/null && rm {O}/null && exit $r
# no command overwrites its input (each row checks the input is unchanged afterwards)
2	-	p\.vafwatch\.calls\.tsv: the output would overwrite an input file	cp {F}/evt_good.tsv {O}/p.vafwatch.calls.tsv && {VW} call --no-builtin -T {F}/t.tsv --output-prefix {O}/p {O}/p.vafwatch.calls.tsv; r=$?; cmp -s {F}/evt_good.tsv {O}/p.vafwatch.calls.tsv || r=9; rm -f {O}/p.vafwatch.calls.tsv; exit $r
2	-	e\.tsv: the output would overwrite an input file	cp {F}/evt_good.tsv {O}/e.tsv && {VW} model build --no-builtin -T {F}/t.tsv -o {O}/e.tsv {O}/e.tsv {F}/evt_good.tsv; r=$?; cmp -s {F}/evt_good.tsv {O}/e.tsv || r=9; rm -f {O}/e.tsv; exit $r
2	-	--normal-outlier-p takes a number in \[0, 1\), not '1'	{VW} model build --normal-outlier-p 1 --no-builtin -T {F}/t.tsv -o {O}/m.tsv {F}/evt_good.tsv
2	-	x\.vafwatch\.track\.tsv: the output would overwrite an input file	cp {F}/calls_good.tsv {O}/x.vafwatch.track.tsv && {VW} track --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/x {O}/x.vafwatch.track.tsv; r=$?; cmp -s {F}/calls_good.tsv {O}/x.vafwatch.track.tsv || r=9; rm -f {O}/x.vafwatch.track.tsv; exit $r
2	-	x\.vafwatch\.cohort\.tsv: the output would overwrite an input file	cp {F}/sheet.tsv {O}/x.vafwatch.cohort.tsv && {VW} leadtime --sheet {O}/x.vafwatch.cohort.tsv -e {F}/events.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; cmp -s {F}/sheet.tsv {O}/x.vafwatch.cohort.tsv || r=9; rm -f {O}/x.vafwatch.cohort.tsv; exit $r
2	-	vafwatch_mqc\.tsv: the output would overwrite an input file	mkdir {O}/rep && cp {F}/calls_good.tsv {O}/rep/vafwatch_mqc.tsv && {VW} report --sheet {F}/sheet.tsv -e {F}/events.tsv -d {O}/rep {O}/rep/vafwatch_mqc.tsv; r=$?; cmp -s {F}/calls_good.tsv {O}/rep/vafwatch_mqc.tsv || r=9; rm -rf {O}/rep; exit $r
# --patient-tests (the patient table read back by leadtime and report)
1	-	nope\.tsv: cannot open patient table	{VW} leadtime --sheet {F}/sheet.tsv -e {F}/events.tsv --patient-tests {F}/nope.tsv --output-prefix {O}/x {F}/calls_good.tsv
1	-	nope\.tsv: cannot open patient table	{VW} report --sheet {F}/sheet.tsv -e {F}/events.tsv --patient-tests {F}/nope.tsv -d {O}/rep {F}/calls_good.tsv
1	-	p\.tsv:2: column 'detected': cannot parse 'maybe'	printf '#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\texpected_alt\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\texcluded\nP1\tS1\t2023-01-05\t5\t5\t0\t1000\t3\t1\t0.002\t0\t0.01\t1\t0.1\tmaybe\t0.003\t.\n' >{O}/p.tsv && {VW} leadtime --sheet {F}/sheet.tsv -e {F}/events.tsv --patient-tests {O}/p.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; rm -f {O}/p.tsv; exit $r
1	-	p\.tsv:2: column 'expected_alt': cannot parse '2000'	printf '#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\texpected_alt\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\texcluded\nP1\tS1\t2023-01-05\t5\t5\t0\t1000\t3\t2000\t0.002\t0\t0.01\t1\t0.1\tyes\t0.003\t.\n' >{O}/p.tsv && {VW} leadtime --sheet {F}/sheet.tsv -e {F}/events.tsv --patient-tests {O}/p.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; rm -f {O}/p.tsv; exit $r
1	-	p\.tsv: patient 'P7' is not in the cohort sheet	printf '#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\texpected_alt\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\texcluded\nP7\tS1\t2023-01-05\t5\t5\t0\t1000\t3\t1\t0.002\t0\t0.01\t1\t0.1\tyes\t0.003\t.\n' >{O}/p.tsv && {VW} report --sheet {F}/sheet.tsv -e {F}/events.tsv --patient-tests {O}/p.tsv -d {O}/rep {F}/calls_good.tsv; r=$?; rm -f {O}/p.tsv; exit $r
2	-	x\.vafwatch\.patient\.tsv: the output would overwrite an input file	printf '#patient\tsample\tdate\tn_targets\tloci_used\tloci_excluded\tdepth\talt_count\texpected_alt\tfraction\tfraction_lo\tfraction_hi\tlr\tp_value\tdetected\tlod95\texcluded\n' >{O}/x.vafwatch.patient.tsv && {VW} leadtime --sheet {F}/sheet.tsv -e {F}/events.tsv --track --patient-tests {O}/x.vafwatch.patient.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; rm -f {O}/x.vafwatch.patient.tsv; exit $r
2	-	vafwatch\.cohort\.tsv: the output would overwrite an input file	mkdir {O}/r && sed 's#good.bam#{F}/good.bam#' {F}/sheet.tsv >{O}/r/vafwatch.cohort.tsv && cp {O}/r/vafwatch.cohort.tsv {O}/keep && {VW} run --no-builtin -T {F}/t.tsv -e {F}/events.tsv -d {O}/r {O}/r/vafwatch.cohort.tsv; r=$?; cmp -s {O}/keep {O}/r/vafwatch.cohort.tsv || r=9; rm -rf {O}/r {O}/keep; exit $r
2	-	vafwatch\.track\.tsv: the output would overwrite an input file	mkdir {O}/r && cp {F}/events.tsv {O}/r/vafwatch.track.tsv && {VW} run --no-builtin -T {F}/t.tsv -e {O}/r/vafwatch.track.tsv -d {O}/r {F}/sheet.tsv; r=$?; cmp -s {F}/events.tsv {O}/r/vafwatch.track.tsv || r=9; rm -rf {O}/r; exit $r
# a full disk and a closed pipe are named as such (a table of track written through a link to /dev/full;
# a reader that closed the pipe before anything was written, with SIGPIPE ignored as a pipeline may)
1	-	x\.vafwatch\.track\.tsv.*No space left on device	ln -s /dev/full {O}/x.vafwatch.track.tsv && {VW} track --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; rm -f {O}/x.vafwatch.track.tsv; exit $r
# track and leadtime write their tables as one set: the second failing, the first is not left behind
1	-	x\.vafwatch\.series\.tsv.*No space left on device	ln -s /dev/full {O}/x.vafwatch.series.tsv && {VW} track --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; test ! -e {O}/x.vafwatch.track.tsv || r=9; rm -f {O}/x.vafwatch.series.tsv; exit $r
1	-	x\.vafwatch\.cohort\.tsv.*No space left on device	ln -s /dev/full {O}/x.vafwatch.cohort.tsv && {VW} leadtime --sheet {F}/sheet.tsv -e {F}/events.tsv --output-prefix {O}/x {F}/calls_good.tsv; r=$?; test ! -e {O}/x.vafwatch.leadtime.tsv || r=9; rm -f {O}/x.vafwatch.cohort.tsv; exit $r
# call too: its calls table failing, the VCF (which its writer renames into place) is not left behind
1	-	p\.vafwatch\.calls\.tsv.*No space left on device	ln -s /dev/full {O}/p.vafwatch.calls.tsv && {VW} call --quiet --no-builtin -T {F}/t.tsv --output-prefix {O}/p {F}/evt_good.tsv; r=$?; test ! -e {O}/p.vafwatch.calls.vcf.gz || r=9; rm -f {O}/p.vafwatch.calls.tsv; exit $r
1	-	-: write failed: Broken pipe	python3 -c 'import os, subprocess, sys; r, w = os.pipe(); os.close(r); sys.exit(subprocess.run(sys.argv[1:], stdout=w, restore_signals=False).returncode)' {VW} count --no-builtin -T {F}/t.tsv -o - {F}/good.bam
1	-	-: write failed: Broken pipe	python3 -c 'import os, subprocess, sys; r, w = os.pipe(); os.close(r); sys.exit(subprocess.run(sys.argv[1:], stdout=w, restore_signals=False).returncode)' {VW} catalogue --build GRCh37
# --- catalogue ------------------------------------------------------------------------------------
0	-	-	{VW} catalogue --no-builtin -T {F}/t.tsv -o {O}/x.tsv
2	-	t\.tsv: the output would overwrite an input file	{VW} catalogue --no-builtin -T {F}/t.tsv -o {F}/t.tsv
1	-	tgt_refalt\.tsv:2: ref and alt are the same	{VW} catalogue --no-builtin -T {F}/tgt_refalt.tsv -o {O}/x.tsv
1	-	no/dir/x\.tsv: cannot write	{VW} catalogue -o {O}/no/dir/x.tsv
1	-	-: write failed	{VW} catalogue --build GRCh37 > /dev/full
1	-	/dev/full: write failed	{VW} catalogue --build GRCh37 -o /dev/full
1	-	/dev/full: write failed: No space left	{VW} count --no-builtin -T {F}/t.tsv -o {O}/x.tsv --json /dev/full {F}/good.bam
