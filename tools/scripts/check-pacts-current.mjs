// Fails when the consumer tests wrote pacts that differ from the committed ones: a contract change
// must be reviewed and committed, never slip through CI unseen.
import { execFileSync } from 'node:child_process';

let status;
try {
  status = execFileSync('git', ['status', '--porcelain', '--', 'pacts'], { encoding: 'utf8' });
} catch {
  console.log('check-pacts: not a git checkout, skipped');
  process.exit(0);
}
if (status.trim() === '') {
  console.log('check-pacts: pacts/ matches the committed contracts');
  process.exit(0);
}
console.error('check-pacts: the consumer tests wrote contracts that differ from the committed ones:\n' + status);
try {
  console.error(execFileSync('git', ['--no-pager', 'diff', '--stat', '--', 'pacts'], { encoding: 'utf8' }));
} catch {
  /* the status above already names the files */
}
console.error('Review the change (git diff pacts/) and commit it if it is intended.');
process.exit(1);
