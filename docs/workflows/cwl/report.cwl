#!/usr/bin/env cwl-runner
# vafwatch report: the HTML, JSON and MultiQC reports in a folder (docs/reports.md).
cwlVersion: v1.2
class: CommandLineTool
label: vafwatch report
hints:
  DockerRequirement:
    dockerPull: vafwatch:0.1.0
baseCommand: [vafwatch, report, -d, report]
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
    doc: the patient-level table (vafwatch.patient.tsv of run or call --sheet) for the patient-level panel
    inputBinding: {prefix: --patient-tests}
  report_date:
    type: string?
    doc: YYYY-MM-DD (otherwise SOURCE_DATE_EPOCH or the day of the run)
    inputBinding: {prefix: --report-date}
  extra_args:
    type: string[]?
    inputBinding: {position: 5}
outputs:
  report:
    type: Directory
    outputBinding: {glob: report}
