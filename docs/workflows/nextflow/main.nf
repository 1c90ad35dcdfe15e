#!/usr/bin/env nextflow
// vafwatch as a Nextflow DSL2 pipeline: the chain of 'vafwatch run', scattered
// (docs/workflows.md).
//   nextflow run docs/workflows/nextflow/main.nf --sheet cohort.tsv --events events.tsv --outdir results
// Outputs, named as the Snakemake workflow names them:
//   counts/{sample}.vafwatch.counts.tsv, {name}.vafwatch.model.tsv (>= 2 normals),
//   {name}.vafwatch.calls.tsv/.calls.vcf.gz(.tbi), {name}.vafwatch.track.tsv/.series.tsv,
//   {name}.vafwatch.leadtime.tsv/.cohort.tsv/.leadtime.json, report/ (HTML, JSON, MultiQC
//   custom content), cnv/{sample}.vafwatch.cnv.tsv (with --cnv_bed and --cnv_pon),
//   {name}.vafwatch.patient.tsv (when the sheet has a 'targets' column: tumour-informed monitoring)
// --model FILE calls against a model made elsewhere; --evidence_class NAME its class
// (call --class, through the call task's ext.args in nextflow.config).
// Every file a task reads is a staged input (the reference, its .fai, the targets, the
// panel BED and PoN): no shared file system is assumed.
nextflow.enable.dsl = 2

include { VAFWATCH_COUNT    } from './modules/local/vafwatch/count/main'
include { VAFWATCH_MODEL    } from './modules/local/vafwatch/model/main'
include { VAFWATCH_CALL     } from './modules/local/vafwatch/call/main'
include { VAFWATCH_TRACK    } from './modules/local/vafwatch/track/main'
include { VAFWATCH_LEADTIME } from './modules/local/vafwatch/leadtime/main'
include { VAFWATCH_CNV      } from './modules/local/vafwatch/cnv/main'
include { VAFWATCH_REPORT   } from './modules/local/vafwatch/report/main'

// The path of a sheet's 'file' value: relative to the sheet's directory.
def sheet_path(sheet, f) {
    f = f.startsWith('./') ? f.substring(2) : f
    return f.startsWith('/') ? file(f) : file(sheet).parent.resolve(f)
}

// The sheet as the call task sees it: the 'targets' column by base name, the
// files staged beside it (two patients' files must differ in base name).
def staged_sheet(sheet, rows) {
    def out = file("${workflow.workDir}/vafwatch-sheet/${sheet.name}")
    out.parent.mkdirs()
    def cols = rows[0].keySet() as List
    def cell = { r, c -> c == 'targets' && r[c] && !(r[c] in ['NA', '.']) ? file(r[c]).name : (r[c] ?: '') }
    out.text = cols.join('\t') + '\n' + rows.collect { r -> cols.collect { c -> cell(r, c) }.join('\t') }.join('\n') + '\n'
    return out
}

// The index beside a BAM/CRAM ([] when there is none).
def index_of(p) {
    for (ext in ['.bai', '.csi', '.crai']) {
        def i = file(p.toString() + ext)
        if (i.exists())
            return i
    }
    return []
}

workflow {
    def sheet  = file(params.sheet, checkIfExists: true)
    def events = file(params.events, checkIfExists: true)
    def cohort = [id: params.name]

    // one meta map per sample; 'order' is the order vafwatch keeps (patients
    // by first appearance, their draws by date then sheet line)
    ch_samples = Channel.fromPath(sheet)
        .splitCsv(sep: '\t', header: true)
        .toList()
        .flatMap { rows ->
            def first = [:]
            rows.eachWithIndex { r, i -> if (!first.containsKey(r.patient)) first[r.patient] = i }
            rows.withIndex().collect { r, i ->
                def meta = [id: r.sample, patient: r.patient, date: r.date, type: r.type ?: 'plasma',
                            cfdna_ng_per_ml: r.cfdna_ng_per_ml ?: '', targets: r.targets ?: '',
                            order: String.format('%09d %s %09d', first[r.patient], r.date, i)]
                def p = sheet_path(sheet.toString(), r.file)
                [meta, p, index_of(p)]
            }
        }

    // the reference (with its .fai) and user targets, staged into every count task
    def ch_fasta = params.fasta
        ? Channel.value([[id: file(params.fasta).baseName], file(params.fasta, checkIfExists: true),
                         file(params.fasta + '.fai', checkIfExists: true)])
        : Channel.value([[:], [], []])
    // tumour-informed monitoring: each patient's own targets (the sheet's 'targets'
    // column), counted in every draw as 'run' does and called in that patient only
    def sheet_rows = sheet.splitCsv(sep: '\t', header: true)
    def patient_targets = sheet_rows.collect { it.targets ?: '' }.findAll { it && !(it in ['NA', '.']) }.unique()
        .collect { sheet_path(sheet.toString(), it) }
    def user_targets = params.targets ? params.targets.tokenize(',').collect { file(it, checkIfExists: true) } : []
    def ch_targets = Channel.value(user_targets + patient_targets)
    // the sheet and events always: call takes each patient's therapy from its treatment_start drugs
    def ch_call_sheet = [staged_sheet(sheet, sheet_rows), events, patient_targets]

    // scatter: one evidence table per sample
    VAFWATCH_COUNT(ch_samples, ch_fasta, ch_targets)
    ch_tables = VAFWATCH_COUNT.out.counts

    // the panel of normals, only when the sheet has two or more
    ch_normals = ch_tables
        .filter { meta, t -> meta.type == 'normal' }
        .toSortedList { a, b -> a[0].order <=> b[0].order }
        .filter { it.size() >= 2 }
        .map { l -> [cohort, l.collect { it[1] }] }
    VAFWATCH_MODEL(params.model ? Channel.empty() : ch_normals)
    // a model given (--model) is staged into call as it is (as 'run --model')
    ch_model = params.model ? Channel.value(file(params.model, checkIfExists: true))
                            : VAFWATCH_MODEL.out.model.map { meta, m -> m }.ifEmpty([])

    // gather: every sample's table, in vafwatch's order
    ch_gathered = ch_tables
        .toSortedList { a, b -> a[0].order <=> b[0].order }
        .map { l -> [cohort, l.collect { it[0] }, l.collect { it[1] }] }
    VAFWATCH_CALL(ch_gathered, ch_model, ch_call_sheet[0], ch_call_sheet[1], ch_call_sheet[2])
    // the patient-level table (or [] without patient targets) for leadtime and report
    ch_patient = VAFWATCH_CALL.out.patient.map { meta, t -> t }.ifEmpty([])

    VAFWATCH_TRACK(VAFWATCH_CALL.out.calls, sheet, events)
    VAFWATCH_LEADTIME(VAFWATCH_CALL.out.calls, sheet, events, ch_patient)

    // copy number of each plasma draw against a saved panel of normals (optional)
    ch_cnv = Channel.value([])
    if (params.cnv_bed && params.cnv_pon) {
        VAFWATCH_CNV(ch_samples.filter { meta, bam, bai -> meta.type == 'plasma' },
                     file(params.cnv_bed, checkIfExists: true), file(params.cnv_pon, checkIfExists: true))
        ch_cnv = VAFWATCH_CNV.out.cnv.toSortedList { a, b -> a[0].order <=> b[0].order }.map { l -> l.collect { it[1] } }
    }

    // the reports, and their MultiQC custom content for a MultiQC step downstream
    VAFWATCH_REPORT(VAFWATCH_CALL.out.calls, sheet, events, ch_cnv, ch_patient)
}
