// `@capture-gateway/e2e-support/fuzz`: the fuzz run's request generators. Apart from the main entry
// because building them (fast-check's binary-string arbitrary above all) costs about 1.2 s of CPU,
// which every e2e test file would otherwise pay when Jest loads the support library afresh for it.
export * from './fuzz-requests';
