/**
 * A mistake in what the user gave the plan (a stack that does not exist, a config key nobody
 * declared, a value of the wrong type, a program input the components reject). The CLI prints its
 * message as one line and exits 2; anything else that goes wrong is the program's or ours (exit 1).
 */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}
