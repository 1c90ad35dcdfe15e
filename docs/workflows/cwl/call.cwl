#!/usr/bin/env cwl-runner
# vafwatch call on the evidence tables of a cohort (docs/calling.md).  The sheet and
# the patients' own targets files (its 'targets' column, which names each file by its
# base name) are staged side by side, so that call --sheet finds them.
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch call
requirements:
  InitialWorkDirRequirement:
    listing:
      - $(inputs.sheet)
      - $(inputs.patient_targets)
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
  patient_targets:
    type: File[]
    default: []
    doc: "the files of the sheet's 'targets' column (base names distinct), staged beside the sheet: tumour-informed calls and PREFIX.vafwatch.patient.tsv"
  evidence_class:
    type: string?
    doc: the model's evidence class to use (molecule, molecule_f3, duplex, fragment, read; docs/umi.md)
    inputBinding: {prefix: --class}
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
  patient:
    type: File?
    doc: the patient-level tests (with a sheet that has a 'targets' column)
    outputBinding: {glob: $(inputs.prefix).vafwatch.patient.tsv}
