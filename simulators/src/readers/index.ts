export { type SimRead, TagField } from "./field.js";
export { type MockReaderPort, simulatedMockPort } from "./mock-port.js";
export { cardIdOf, type Personality, personality } from "./personality.js";
export {
  fieldTags,
  loadScenario,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
  ScenarioSchema,
} from "./scenario.js";
export { sgtin96 } from "./sgtin.js";
export {
  type NoiseOptions,
  SimulatedReader,
  type SimulatedReaderOptions,
} from "./simulated-reader.js";
export { type SimulatorOptions, type SimulatorServer, serveSimulatedReader } from "./tcp-server.js";
