#!/usr/bin/env cwl-runner
# vafwatch run: the whole chain on a cohort sheet in one step.  The sheet names its
# files relative to its own folder (e.g. sim/P1_d000.bam): give that folder's
# sub-folder as 'data' and it is staged under its own name beside the sheet.
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
  extra_args:
    type: string[]?
    inputBinding: {position: 5}
outputs:
  results:
    type: Directory
    outputBinding: {glob: $(inputs.outdir)}
