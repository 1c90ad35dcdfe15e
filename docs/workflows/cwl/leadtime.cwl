#!/usr/bin/env cwl-runner
# vafwatch leadtime (with the tracking tables, --track) on the calls of a cohort
# (docs/tracking.md).
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch leadtime
hints:
  DockerRequirement:
    dockerPull: vafwatch:0.1.0
baseCommand: [vafwatch, leadtime, --track]
arguments:
  - {prefix: --output-prefix, valueFrom: $(inputs.prefix)}
  - {prefix: --json, valueFrom: $(inputs.prefix).vafwatch.leadtime.json}
inputs:
  calls:
    type: File
    inputBinding: {position: 10}
  sheet:
    type: File
    inputBinding: {prefix: --sheet}
  events:
    type: File
    inputBinding: {prefix: -e}
  patient_tests:
    type: File?
    doc: the patient-level table (vafwatch.patient.tsv of run or call --sheet); also writes PREFIX.vafwatch.patient.tsv
    inputBinding: {prefix: --patient-tests}
  prefix:
    type: string
    default: cohort
  extra_args:
    type: string[]?
    inputBinding: {position: 5}
outputs:
  leadtime:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.leadtime.tsv}
  cohort:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.cohort.tsv}
  leadtime_json:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.leadtime.json}
  track:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.track.tsv}
  series:
    type: File
    outputBinding: {glob: $(inputs.prefix).vafwatch.series.tsv}
  patient:
    type: File?
    outputBinding: {glob: $(inputs.prefix).vafwatch.patient.tsv}
