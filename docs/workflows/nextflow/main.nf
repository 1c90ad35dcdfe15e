#!/usr/bin/env nextflow
// vafwatch as a Nextflow DSL2 pipeline: the chain of 'vafwatch run', scattered
// (docs/workflows.md).
//   nextflow run docs/workflows/nextflow/main.nf --sheet cohort.tsv --events events.tsv --outdir results
// Outputs, named as the Snakemake workflow names them:
//   counts/{sample}.vafwatch.counts.tsv, {name}.vafwatch.model.tsv (>= 2 normals),
//   {name}.vafwatch.calls.tsv/.calls.vcf.gz(.tbi), {name}.vafwatch.track.tsv/.series.tsv,
//   {name}.vafwatch.leadtime.tsv/.cohort.tsv/.leadtime.json, report/ (HTML, JSON, MultiQC
//   custom content), cnv/{sample}.vafwatch.cnv.tsv (with --cnv_bed and --cnv_pon)
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
                            cfdna_ng_per_ml: r.cfdna_ng_per_ml ?: '',
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
    def ch_targets = params.targets
        ? Channel.value(params.targets.tokenize(',').collect { file(it, checkIfExists: true) })
        : Channel.value([])

    // scatter: one evidence table per sample
    VAFWATCH_COUNT(ch_samples, ch_fasta, ch_targets)
    ch_tables = VAFWATCH_COUNT.out.counts

    // the panel of normals, only when the sheet has two or more
    ch_normals = ch_tables
        .filter { meta, t -> meta.type == 'normal' }
        .toSortedList { a, b -> a[0].order <=> b[0].order }
        .filter { it.size() >= 2 }
        .map { l -> [cohort, l.collect { it[1] }] }
    VAFWATCH_MODEL(ch_normals)
    ch_model = VAFWATCH_MODEL.out.model.map { meta, m -> m }.ifEmpty([])

    // gather: every sample's table, in vafwatch's order
    ch_gathered = ch_tables
        .toSortedList { a, b -> a[0].order <=> b[0].order }
        .map { l -> [cohort, l.collect { it[0] }, l.collect { it[1] }] }
    VAFWATCH_CALL(ch_gathered, ch_model)

    VAFWATCH_TRACK(VAFWATCH_CALL.out.calls, sheet, events)
    VAFWATCH_LEADTIME(VAFWATCH_CALL.out.calls, sheet, events)

    // copy number of each plasma draw against a saved panel of normals (optional)
    ch_cnv = Channel.value([])
    if (params.cnv_bed && params.cnv_pon) {
        VAFWATCH_CNV(ch_samples.filter { meta, bam, bai -> meta.type == 'plasma' },
                     file(params.cnv_bed, checkIfExists: true), file(params.cnv_pon, checkIfExists: true))
        ch_cnv = VAFWATCH_CNV.out.cnv.toSortedList { a, b -> a[0].order <=> b[0].order }.map { l -> l.collect { it[1] } }
    }

    // the reports, and their MultiQC custom content for a MultiQC step downstream
    VAFWATCH_REPORT(VAFWATCH_CALL.out.calls, sheet, events, ch_cnv)
}
