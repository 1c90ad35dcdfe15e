#!/usr/bin/env cwl-runner
# The chain of 'vafwatch run' as a CWL Workflow: count scattered over the draws
# (one job per BAM/CRAM, run anywhere: cwltool, Toil, Arvados, Terra), then call,
# leadtime (with the tracking tables) and report gathered.  The draws are given in
# the order of the cohort sheet (patients in order of first appearance, each
# patient's draws by date), as vafwatch run orders them, so the tables are equal.
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
steps:
  count:
    run: count.cwl
    scatter: [alignments, sample]
    scatterMethod: dotproduct
    in:
      alignments: alignments
      sample: samples
    out: [counts]
  call:
    run: call.cwl
    in:
      tables: count/counts
      cfdna: cfdna
      sheet: sheet
      events: events
      prefix: prefix
    out: [calls, vcf]
  leadtime:
    run: leadtime.cwl
    in:
      calls: call/calls
      sheet: sheet
      events: events
      prefix: prefix
    out: [leadtime, cohort, leadtime_json, track, series]
  report:
    run: report.cwl
    in:
      calls: call/calls
      sheet: sheet
      events: events
      report_date: report_date
    out: [report]
outputs:
  counts: {type: 'File[]', outputSource: count/counts}
  calls: {type: File, outputSource: call/calls}
  vcf: {type: File, outputSource: call/vcf}
  leadtime: {type: File, outputSource: leadtime/leadtime}
  cohort: {type: File, outputSource: leadtime/cohort}
  leadtime_json: {type: File, outputSource: leadtime/leadtime_json}
  track: {type: File, outputSource: leadtime/track}
  series: {type: File, outputSource: leadtime/series}
  report: {type: Directory, outputSource: report/report}
