global using NumaSim.Actors.Observation;
global using NumaSim.Model.Topology;
global using NumaSim.TestKit;
