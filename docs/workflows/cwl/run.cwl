#!/usr/bin/env cwl-runner
# vafwatch run: the whole chain on a cohort sheet in one step.  The sheet names its
# files relative to its own folder (e.g. sim/P1_d000.bam, and so its 'targets' and
# 'swgs' columns): give that folder's sub-folder as 'data' and it is staged under its
# own name beside the sheet.
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch run
requirements:
  InitialWorkDirRequirement:
    listing:
      - {entry: $(inputs.sheet), entryname: $(inputs.sheet.basename)}
      - {entry: $(inputs.data), entryname: $(inputs.data.basename)}
hints:
  DockerRequirement:
    dockerPull: vafwatch:0.1.0
  ResourceRequirement:
    coresMin: $(inputs.threads)
baseCommand: [vafwatch, run]
arguments:
  - {prefix: -d, valueFrom: $(inputs.outdir)}
  - {position: 10, valueFrom: $(inputs.sheet.basename)}
inputs:
  sheet:
    type: File
    doc: the cohort sheet (patient, sample, date, file ...)
  data:
    type: Directory
    doc: the folder (relative to the sheet) that holds the alignment files the sheet names
  events:
    type: File
    inputBinding: {prefix: -e}
  outdir:
    type: string
    default: vafwatch-run
  threads:
    type: int
    default: 1
    inputBinding: {prefix: -t}
  model:
    type: File?
    doc: a background model (vafwatch model build)
    inputBinding: {prefix: --model}
  evidence_class:
    type: string?
    doc: the model's evidence class to use (molecule, molecule_f3, duplex ...; needs model)
    inputBinding: {prefix: --class}
  genome_gc:
    type: File?
    doc: GC per bin of the sheet's 'swgs' files (WIG)
    inputBinding: {prefix: --genome-gc}
  genome_map:
    type: File?
    inputBinding: {prefix: --genome-map}
  genome_centromeres:
    type: File?
    inputBinding: {prefix: --genome-centromeres}
  genome_pon:
    type:
      - 'null'
      - type: array
        items: File
        inputBinding: {prefix: --genome-pon}
    doc: the genome-wide panel of normals [the 'swgs' files of the sheet's normal rows]
  report_date:
    type: string?
    doc: the reports' date, YYYY-MM-DD (otherwise SOURCE_DATE_EPOCH or the day of the run)
    inputBinding: {prefix: --report-date}
  title:
    type: string?
    doc: the cohort report's title [vafwatch cohort report]
    inputBinding: {prefix: --title}
  markers:
    type: File?
    doc: clinical markers (patient, date, marker, value[, unit]) shown in the reports
    inputBinding: {prefix: --markers}
  params:
    type:
      - 'null'
      - type: array
        items: string
        inputBinding: {prefix: --param}
    doc: KEY=VALUE parameters shown under the reports' Methods, after run's own (at most 32)
  extra_args:
    type: string[]?
    inputBinding: {position: 5}
outputs:
  results:
    type: Directory
    outputBinding: {glob: $(inputs.outdir)}
