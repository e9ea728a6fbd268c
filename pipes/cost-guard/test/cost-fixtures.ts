/** Real Infracost reports and a config for the decision tests. */
import { parseConfig } from "../src/config.ts";
import { readInfracostFile } from "../src/infracost.ts";
import { fixture, INFRACOST_FIXTURES } from "./fixtures.ts";

/** breakdown-comment.json: 5 projects; "my terragrunt dev project" goes up by 0.876 USD, the others down by 560.64. */
export const diffReport = () => readInfracostFile(fixture("breakdown-comment.json"), INFRACOST_FIXTURES);
/** diff-current.json: one new project of 1,303.28 USD (an m5.8xlarge with gp2 and io1 volumes). */
export const newProjectReport = () => readInfracostFile(fixture("diff-current.json"), INFRACOST_FIXTURES);

export const config = (yaml: string) => parseConfig(yaml, ".cost-guard.yml");
