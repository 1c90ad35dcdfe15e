#!/usr/bin/env cwl-runner
# The chain of 'vafwatch run' as a CWL Workflow: count scattered over the draws
# (one job per BAM/CRAM, run anywhere: cwltool, Toil, Arvados, Terra), then call,
# leadtime (with the tracking tables) and report gathered; 'cnv --genome' scattered
# over the patients with shallow WGS (the sheet's 'swgs' column).  The draws are
# given in the order of the cohort sheet (patients in order of first appearance,
# each patient's draws by date), as vafwatch run orders them, so the tables are equal.
cwlVersion: v1.2
class: Workflow
label: vafwatch (scattered)
requirements:
  ScatterFeatureRequirement: {}
  MultipleInputFeatureRequirement: {}
  StepInputExpressionRequirement: {}
inputs:
  alignments:
    type: File[]
    secondaryFiles:
      - {pattern: .bai, required: false}
      - {pattern: .crai, required: false}
  samples: string[]
  cfdna:
    type: string[]?
    doc: SAMPLE=NG_PER_ML of the draws with a known concentration
  sheet: File
  events: File
  prefix:
    type: string
    default: cohort
  report_date: string?
  targets:
    type: File[]
    default: []
    doc: >-
      the files of the sheet's 'targets' column (each patient's own mutations, in sheet
      order; the column names each by its base name) and any user targets: -T of every
      count, staged beside the sheet for call (PREFIX.vafwatch.patient.tsv)
  count_args:
    type: string[]?
    doc: further options of count, e.g. [--count-unit, molecule, --no-builtin]
  model:
    type: File?
    doc: a background model (vafwatch model build), as run --model
  evidence_class:
    type: string?
    doc: the model's evidence class call uses (molecule, molecule_f3, duplex ...), as run --class
  call_args:
    type: string[]?
    doc: further options of call
  swgs:
    type: {type: array, items: {type: array, items: File}}
    default: []
    doc: >-
      the sheet's 'swgs' column, one list per patient (its plasma draws in date order):
      readCounter WIGs or BAM/CRAMs; one cnv --genome job per patient
  swgs_samples:
    type: {type: array, items: {type: array, items: string}}
    default: []
    doc: the sample names of 'swgs', the same shape
  swgs_patients:
    type: string[]
    default: []
    doc: the patient of each list of 'swgs' (the prefix of its genome outputs)
  genome_pon:
    type: File[]?
    doc: the genome-wide panel of normals (run takes the 'swgs' files of the sheet's normal rows)
  genome_gc: File?
  genome_map: File?
  genome_centromeres: File?
  genome_reference:
    type: File?
    secondaryFiles: [{pattern: .fai, required: false}]
  genome_args:
    type: string[]?
    doc: further options of cnv --genome, e.g. [--bin-size, "500000"]
steps:
  count:
    run: count.cwl
    scatter: [alignments, sample]
    scatterMethod: dotproduct
    in:
      alignments: alignments
      sample: samples
      targets: targets
      extra_args: count_args
    out: [counts]
  call:
    run: call.cwl
    in:
      tables: count/counts
      cfdna: cfdna
      sheet: sheet
      events: events
      prefix: prefix
      model: model
      patient_targets: targets
      evidence_class: evidence_class
      extra_args: call_args
    out: [calls, vcf, patient]
  leadtime:
    run: leadtime.cwl
    in:
      calls: call/calls
      sheet: sheet
      events: events
      prefix: prefix
      patient_tests: call/patient
    out: [leadtime, cohort, leadtime_json, track, series]
  report:
    run: report.cwl
    in:
      calls: call/calls
      sheet: sheet
      events: events
      report_date: report_date
      patient_tests: call/patient
    out: [report]
  genome:
    run: genome.cwl
    scatter: [swgs, samples, prefix]
    scatterMethod: dotproduct
    in:
      swgs: swgs
      samples: swgs_samples
      prefix: swgs_patients
      sheet: sheet
      pon: genome_pon
      gc: genome_gc
      map: genome_map
      centromeres: genome_centromeres
      reference: genome_reference
      extra_args: genome_args
    out: [genome, bins, seg, arms, focal, html, series]
outputs:
  counts: {type: 'File[]', outputSource: count/counts}
  calls: {type: File, outputSource: call/calls}
  vcf: {type: File, outputSource: call/vcf}
  patient: {type: File?, outputSource: call/patient}
  leadtime: {type: File, outputSource: leadtime/leadtime}
  cohort: {type: File, outputSource: leadtime/cohort}
  leadtime_json: {type: File, outputSource: leadtime/leadtime_json}
  track: {type: File, outputSource: leadtime/track}
  series: {type: File, outputSource: leadtime/series}
  report: {type: Directory, outputSource: report/report}
  genome_tsv: {type: 'File[]', outputSource: genome/genome}
  genome_bins: {type: 'File[]', outputSource: genome/bins}
  genome_seg: {type: 'File[]', outputSource: genome/seg}
  genome_arms: {type: 'File[]', outputSource: genome/arms}
  genome_focal: {type: 'File[]', outputSource: genome/focal}
  genome_html: {type: 'File[]', outputSource: genome/html}
  genome_series: {type: {type: array, items: ['null', File]}, outputSource: genome/series}
