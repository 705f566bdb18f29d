/**
 * Input lbsim refuses, as a type: the one kind of exception the command line answers with exit 2,
 * its message naming the file, the field or the limit. Anything else thrown is a bug in lbsim
 * (exit 1), so that a catch-all can never hide one behind "bad input".
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  /** `file`: the file (or option) at fault, which the message is about. */
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}
