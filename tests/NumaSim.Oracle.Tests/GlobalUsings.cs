global using NumaSim.Oracle.Tests.Support;
