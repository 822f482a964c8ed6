/** A mistake of the user's (bad flag, unreadable file, invalid config): printed as one line, exit 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}
