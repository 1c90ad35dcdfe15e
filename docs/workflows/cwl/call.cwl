#!/usr/bin/env cwl-runner
# vafwatch call on the evidence tables of a cohort (docs/calling.md).
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch call
hints:
  DockerRequirement:
    dockerPull: vafwatch:0.1.0
baseCommand: [vafwatch, call]
arguments:
  - {prefix: --output-prefix, valueFrom: $(inputs.prefix)}
inputs:
  tables:
    type: File[]
    doc: the evidence tables (vafwatch count), in the order of the cohort sheet
    inputBinding: {position: 10}
  prefix:
    type: string
    default: cohort
  model:
    type: File?
    doc: background model (vafwatch model build)
    inputBinding: {prefix: -m}
  cfdna:
    type:
      - 'null'
      - type: array
        items: string
        inputBinding: {prefix: --cfdna}
    doc: SAMPLE=NG_PER_ML for each draw with a known cfDNA concentration, each given with --cfdna
  sheet:
    type: File?
    doc: "the cohort sheet (with events, each patient's therapy from its treatment_start drugs)"
    inputBinding: {prefix: --sheet}
  events:
    type: File?
    doc: "clinical events (the treatment_start drugs, for the therapy-relevance map of docs/calling.md)"
    inputBinding: {prefix: -e}
  extra_args:
    type: string[]?
    inputBinding: {position: 5}
outputs:
  calls:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.calls.tsv}
  vcf:
    type: File
    secondaryFiles: [.tbi]
    outputBinding: {glob: $(inputs.prefix).vafwatch.calls.vcf.gz}
